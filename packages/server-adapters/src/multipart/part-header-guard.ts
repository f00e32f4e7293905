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
    // Almost always nothing is carried, and the chunk is searched where it lies: joining
    // every chunk to the bytes before it was a copy of the whole body.
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // Carried bytes are counted here, once it is known whether they end the head.
    let counted = 0;
    let from = 0;
    for (;;) {
      if (seeking) {
        const at = data.indexOf(delimiter, from);
        if (at === -1) {
          carry = partialMatchAtEnd(data, from, delimiter);
          return;
        }
        seeking = false;
        headBytes = 0;
        from = at + delimiter.length;
        counted = from;
        continue;
      }
      const end = data.indexOf(HEAD_END, from);
      if (end === -1) carry = partialMatchAtEnd(data, from, HEAD_END);
      headBytes += (end === -1 ? data.length - carry.length : end) - counted;
      if (headBytes > maxBytes) {
        over = true;
        onOver();
        return;
      }
      if (end === -1) return;
      seeking = true;
      from = end + HEAD_END.length;
    }
  };
}

/**
 * The longest end of `data` (from `from` on) that begins `marker`: the only bytes a marker
 * split between this chunk and the next can start in. A copy, so no chunk is kept alive.
 */
function partialMatchAtEnd(data: Buffer, from: number, marker: Buffer): Buffer {
  const first = marker[0];
  for (let length = Math.min(marker.length - 1, data.length - from); length > 0; length--) {
    const start = data.length - length;
    if (data[start] === first && data.compare(marker, 0, length, start) === 0) {
      return Buffer.from(data.subarray(start));
    }
  }
  return EMPTY;
}

const EMPTY = Buffer.alloc(0);

/** The `boundary` parameter of a multipart content type, or `null`. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}
