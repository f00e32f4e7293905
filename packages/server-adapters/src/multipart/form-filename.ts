/**
 * A part's filename as the browser meant it. The HTML form encoding writes `"`, CR and LF
 * in a filename as `%22`, `%0D` and `%0A` (and nothing else: a `%41` the user typed stays
 * `%41`), so those three, and only those, are decoded. CR and LF are then removed by
 * `sanitizeFilename` like every control character.
 */
export function decodeFormFilename(filename: string): string {
  return filename.replace(/%(22|0d|0a)/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
