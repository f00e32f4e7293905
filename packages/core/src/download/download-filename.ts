import { withExtension } from '../shared/mime-extension';

/** The last path segment of a URL, decoded; `undefined` for `/` or a `data:`/`blob:` URL. */
export function filenameFromUrl(url: string): string | undefined {
  if (/^(data|blob):/i.test(url)) return undefined;
  const path = url.split(/[?#]/, 1)[0]!;
  const segment = path.slice(path.lastIndexOf('/') + 1);
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*` (RFC 8187,
 * UTF-8 or ISO-8859-1) wins over `filename`. `undefined` when there is none.
 */
export function filenameFromContentDisposition(
  header: string | null | undefined,
): string | undefined {
  if (!header) return undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    const charset = extended[1]!.toLowerCase();
    try {
      if (charset === 'utf-8') return decodeURIComponent(extended[2]!);
      if (charset === 'iso-8859-1') {
        return extended[2]!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
          String.fromCharCode(Number.parseInt(hex, 16)),
        );
      }
    } catch {
      // A malformed extended value falls back to the plain one.
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return token ? token[1] : undefined;
}

/**
 * The name to save a response under: the one asked, else the server's `Content-Disposition`
 * name, else the URL's last segment, else `download`; with an extension from `mimeType` when
 * the name has none.
 */
export function responseFilename(
  response: Pick<Response, 'headers' | 'url'>,
  requestedUrl: string,
  mimeType: string,
  filename?: string,
): string {
  const named =
    filename ??
    filenameFromContentDisposition(response.headers.get('Content-Disposition')) ??
    filenameFromUrl(response.url || requestedUrl) ??
    'download';
  return mimeType ? withExtension(named, mimeType) : named;
}
