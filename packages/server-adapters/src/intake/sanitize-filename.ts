/** Longest name most filesystems take, in UTF-8 bytes. */
const MAX_BYTES = 255;
const FALLBACK = 'file';

// C0 and C1 control characters, NUL included, plus the bidi controls that can make
// `evil\u202Egnp.exe` read as `evilexe.png`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Reserved on Windows (and meaningless or risky elsewhere).
const RESERVED_CHARS = /[<>:"|?*]/g;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Drops whole code points from the end until the string fits in `max` bytes. */
function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  const points = Array.from(s);
  let bytes = byteLength(s);
  while (points.length > 0 && bytes > max) bytes -= byteLength(points.pop() as string);
  return points.join('');
}

/**
 * Makes a client's filename safe to keep as metadata and to send back in
 * `Content-Disposition`: only the last path segment, no control characters or characters
 * Windows refuses, no trailing dots or spaces, no reserved device names (`CON`, `NUL.txt`,
 * `COM1`...), at most 255 UTF-8 bytes with the extension kept. Unicode letters are kept.
 * An empty result becomes `fallback`.
 */
export function sanitizeFilename(input: string, fallback: string = FALLBACK): string {
  let name = String(input ?? '').normalize('NFC');
  // Only the last segment of a path, for either separator.
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(UNSAFE_CHARS, '').replace(RESERVED_CHARS, '_');
  name = name.trim().replace(/[. ]+$/, '');
  if (name === '' || /^\.+$/.test(name)) return fallback;

  // Windows reserves the device name before the first dot: `NUL.tar.gz` is NUL too.
  const dot = name.indexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  if (RESERVED_NAMES.test(stem.trimEnd())) name = `_${name}`;

  if (byteLength(name) > MAX_BYTES) {
    const dotAt = name.lastIndexOf('.');
    const ext = dotAt > 0 ? name.slice(dotAt) : '';
    // A very long "extension" is part of the name, not a type to keep.
    if (ext && byteLength(ext) <= 32) {
      name =
        truncateBytes(name.slice(0, dotAt), MAX_BYTES - byteLength(ext)).replace(/[. ]+$/, '') +
        ext;
    } else {
      name = truncateBytes(name, MAX_BYTES).replace(/[. ]+$/, '');
    }
  }
  return name === '' ? fallback : name;
}
