import { sanitizeFilename } from '../intake/sanitize-filename';
import type { Disposition } from './content-headers';

/** What a download's query may ask: `?disposition=inline` and `?filename=<name>`. */
export interface DownloadQuery {
  disposition: Disposition;
  /** The name to save under instead of the stored one, sanitized like an upload's name. */
  filename?: string;
}

/**
 * Reads a download's query. `filename` replaces the stored name in `Content-Disposition`
 * (as S3's `response-content-disposition` does), because a browser ignores
 * `<a download="new name">` when the answer names the file itself. It goes through the same
 * sanitizing as an upload's name (no path, control characters, quotes or CR/LF, at most
 * 255 bytes), and changes the name only: the type, the disposition (`inline` only for types
 * that render without running anything) and the sandboxing policy stay the stored file's.
 */
export function readDownloadQuery(query: URLSearchParams): DownloadQuery {
  const disposition = query.get('disposition') === 'inline' ? 'inline' : 'attachment';
  const asked = query.get('filename');
  if (asked === null) return { disposition };
  const filename = sanitizeFilename(asked, '');
  return filename === '' ? { disposition } : { disposition, filename };
}
