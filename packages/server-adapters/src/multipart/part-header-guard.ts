const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Watches a multipart body for a part whose headers run past `maxBytes`. Busboy keeps only
 * the first bytes of such headers and goes on with what it kept, so a long filename would be
 * cut, losing its extension, and a header past the cut would vanish: this says so instead,
 * once, through `onOver`. Feed it every chunk of the body, in order, before busboy sees it.
 */
export function partHeaderGuard(
  boundary: string,
  maxBytes: number,
  onOver: () => void,
): (chunk: Buffer) => void {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let seeking = true;
  // The first delimiter opens the body without a CRLF before it.
  let carry: Buffer = Buffer.from('\r\n');
  let headBytes = 0;
  let over = false;
  return (chunk) => {
    if (over) return;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // In a head, the carried bytes were counted with the chunk before.
    let counted = seeking ? 0 : carry.length;
    let from = 0;
    for (;;) {
      if (seeking) {
        const at = data.indexOf(delimiter, from);
        if (at === -1) {
          carry = data.subarray(Math.max(from, data.length - delimiter.length + 1));
          return;
        }
        seeking = false;
        headBytes = 0;
        from = at + delimiter.length;
        counted = from;
        continue;
      }
      const end = data.indexOf(HEAD_END, from);
      headBytes += (end === -1 ? data.length : end) - counted;
      if (headBytes > maxBytes) {
        over = true;
        onOver();
        return;
      }
      if (end === -1) {
        carry = data.subarray(Math.max(from, data.length - HEAD_END.length + 1));
        return;
      }
      seeking = true;
      from = end + HEAD_END.length;
    }
  };
}

/** The `boundary` parameter of a multipart content type, or `null`. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}
