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

interface DispositionParameter {
  value: string;
  quoted: boolean;
}

/** `, attachment` where a proxy folded two headers into one: the second one starts there. */
const FOLDED_DISPOSITION = /^,\s*(attachment|inline|form-data)\s*(;|$)/i;

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/**
 * The parameters of the first disposition in a header, by lowercased name, the first of each
 * name kept. RFC 6266's grammar (token or quoted-string with backslash escapes), read the way
 * browsers read it when a server strays: an unquoted value runs to the next `;` (spaces and
 * all), text after a closing quote is dropped, an unterminated quote ends with the header, and
 * a value-less or empty parameter is skipped.
 */
function dispositionParameters(header: string): Map<string, DispositionParameter> {
  const params = new Map<string, DispositionParameter>();
  const n = header.length;
  let i = 0;
  const folded = () => header[i] === ',' && FOLDED_DISPOSITION.test(header.slice(i));
  while (i < n) {
    while (i < n && (isSpace(header[i]) || header[i] === ';')) i++;
    const nameStart = i;
    while (i < n && header[i] !== '=' && header[i] !== ';' && !folded()) i++;
    if (folded()) break;
    const name = header.slice(nameStart, i).trim().toLowerCase();
    // A bare token (the disposition type, or junk): no value to keep.
    if (header[i] !== '=') continue;
    i++;
    while (isSpace(header[i])) i++;
    let value = '';
    let quoted = false;
    if (header[i] === '"') {
      quoted = true;
      i++;
      while (i < n && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < n) i++;
        value += header[i];
        i++;
      }
      while (i < n && header[i] !== ';' && !folded()) i++;
    } else {
      const valueStart = i;
      while (i < n && header[i] !== ';' && !folded()) i++;
      value = header.slice(valueStart, i).trim();
    }
    if (name && !params.has(name)) params.set(name, { value, quoted });
    if (folded()) break;
  }
  return params;
}

/** RFC 8187 `ext-value`: `charset'language'pct-encoded`. */
const EXT_VALUE =
  /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])+)$/;

/** The bytes of a pct-encoded value (checked by `EXT_VALUE`). */
function pctBytes(encoded: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '%') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
}

/**
 * Decodes a `filename*` value in UTF-8 (bad sequences become U+FFFD) or ISO-8859-1 (control
 * characters become `?`); `undefined` for another charset or a malformed value, so that the
 * plain `filename` is used instead.
 */
function decodeExtValue(raw: string): string | undefined {
  const match = EXT_VALUE.exec(raw);
  if (!match) return undefined;
  const charset = match[1]!.toLowerCase();
  const bytes = pctBytes(match[2]!);
  // `utf8` is no registered name, but servers send it and browsers decode it as UTF-8.
  if (charset === 'utf-8' || charset === 'utf8') return new TextDecoder('utf-8').decode(bytes);
  if (charset === 'iso-8859-1') {
    return String.fromCharCode(...bytes).replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
  }
  return undefined;
}

/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*` (RFC 8187, UTF-8
 * or ISO-8859-1) wins over `filename`, parameter names are case-insensitive and unknown ones
 * ignored. `undefined` when there is none.
 *
 * @example
 * filenameFromContentDisposition(`attachment; filename="EURO rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf`) // '€ rates.pdf'
 */
export function filenameFromContentDisposition(
  header: string | null | undefined,
): string | undefined {
  if (!header) return undefined;
  const params = dispositionParameters(header);
  const extended = params.get('filename*');
  if (extended && !extended.quoted) {
    const name = decodeExtValue(extended.value);
    if (name) return name;
  }
  return params.get('filename')?.value || undefined;
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
