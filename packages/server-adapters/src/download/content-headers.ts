import contentDisposition from 'content-disposition';
import { canInline } from './inline-types';

/** `attachment` asks the browser to save; `inline` lets it show the file itself. */
export type Disposition = 'attachment' | 'inline';

/**
 * The policy of every download: `sandbox` puts a document that does get rendered (an old
 * upload, a browser that ignores the disposition) in an opaque origin with no scripts, forms,
 * popups or plugins, so it cannot act for the app; `default-src 'none'` lets it load nothing.
 * The browsers' own viewers of an image or a video load the file's URL and style themselves
 * inline, hence `img-src`/`media-src 'self'` and `style-src 'unsafe-inline'`.
 */
export const DOWNLOAD_CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"))*$`,
);

/**
 * The stored type when it is a well-formed media type, else `application/octet-stream`: a
 * type that cannot be a header (CR, LF, non-Latin-1, stored by an older version or a custom
 * storage) must not turn every download of the file into a 500.
 */
export function servableType(type: string): string {
  const trimmed = type.trim();
  return MEDIA_TYPE.test(trimmed) ? trimmed : 'application/octet-stream';
}

/**
 * The headers every download carries: the type, `nosniff` so the browser does not
 * second-guess it, the sandboxing policy, and the name (RFC 6266). Every character past ASCII
 * goes to `filename*` (UTF-8), with `_` in its place in `filename`: RFC 6266 appendix D advises
 * against non-ASCII in the quoted form, where a Latin-1 name (`données.txt`) was sent raw and
 * read by each client as its own guess of a charset, and a presigned GET's
 * response-content-disposition may not carry such a byte back at all.
 * `inline` is granted only to types that render without running anything (`canInline`);
 * every other file is an `attachment` whatever was asked.
 */
export function contentHeaders(
  name: string,
  type: string,
  disposition: Disposition,
): Record<string, string> {
  const served = servableType(type);
  const shown = disposition === 'inline' && canInline(served) ? 'inline' : 'attachment';
  const fallback = name.replace(/[^\x20-\x7e]/g, '_');
  return {
    'Content-Type': served,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': DOWNLOAD_CSP,
    'Content-Disposition': contentDisposition(name, { type: shown, fallback }),
  };
}
