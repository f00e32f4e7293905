import contentDisposition from 'content-disposition';

/** `attachment` asks the browser to save; `inline` lets it show the file itself. */
export type Disposition = 'attachment' | 'inline';

/**
 * The headers every download carries: the type the file was stored with, `nosniff` so the
 * browser does not second-guess it, and the name (RFC 6266, `filename*` for non-ASCII).
 */
export function contentHeaders(
  name: string,
  type: string,
  disposition: Disposition,
): Record<string, string> {
  return {
    'Content-Type': type || 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': contentDisposition(name, { type: disposition }),
  };
}
