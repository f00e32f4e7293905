/** The only protocol version spoken. */
export const TUS_VERSION = '1.0.0';

/** Announced in `Tus-Extension`. */
export const TUS_EXTENSIONS = [
  'creation',
  'creation-with-upload',
  'creation-defer-length',
  'termination',
  'expiration',
  'checksum',
  'concatenation',
] as const;

export const OFFSET_CONTENT_TYPE = 'application/offset+octet-stream';

/** Headers a browser page may read from a cross-origin tus answer. */
export const EXPOSED_HEADERS = [
  'Location',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Defer-Length',
  'Upload-Metadata',
  'Upload-Expires',
  'Tus-Version',
  'Tus-Resumable',
  'Tus-Extension',
  'Tus-Max-Size',
  'Tus-Checksum-Algorithm',
  'Upload-Concat',
].join(', ');

/** A non-negative integer header, `null` when absent, `undefined` when malformed. */
export function parseIntegerHeader(
  value: string | string[] | undefined,
): number | null | undefined {
  if (value === undefined) return null;
  if (Array.isArray(value) || !/^\d{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Base64 as RFC 4648 writes it: padded to whole quanta of 4 characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Values are kept as text (fields, the file's name and type): one that is not UTF-8 could not
 * be said again as the client sent it, which HEAD must, so it is refused (a server may refuse
 * an upload for its metadata). A BOM stays, for the same reason.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `Upload-Metadata`: comma-separated `key base64value` pairs (value optional). Keys are
 * ASCII without spaces or commas, unique; values UTF-8. `null` when malformed.
 */
export function parseUploadMetadata(header: string | undefined): Record<string, string> | null {
  const result: Record<string, string> = Object.create(null);
  if (header === undefined || header.trim() === '') return result;
  for (const pair of header.split(',')) {
    const parts = pair.trim().split(' ');
    if (parts.length > 2) return null;
    const [key = '', value] = parts;
    if (!/^[\x21-\x7e]+$/.test(key) || key in result) return null;
    if (value !== undefined && !BASE64.test(value)) return null;
    try {
      result[key] = value === undefined ? '' : UTF8.decode(Buffer.from(value, 'base64'));
    } catch {
      return null;
    }
  }
  return result;
}

export function serializeUploadMetadata(metadata: Readonly<Record<string, string>>): string {
  return Object.entries(metadata)
    .map(([key, value]) =>
      value === '' ? key : `${key} ${Buffer.from(value, 'utf8').toString('base64')}`,
    )
    .join(',');
}

/**
 * `Upload-Concat`: `partial`, or `final;<url> <url> ...` naming the partial uploads in order
 * (`value`: the header as received). `null` when absent; `undefined` when malformed.
 */
export function parseUploadConcat(
  header: string | string[] | undefined,
): { kind: 'partial' } | { kind: 'final'; urls: string[]; value: string } | null | undefined {
  if (header === undefined) return null;
  if (Array.isArray(header)) return undefined;
  const value = header.trim();
  if (value === 'partial') return { kind: 'partial' };
  if (!value.startsWith('final;')) return undefined;
  const urls = value.slice('final;'.length).trim().split(/\s+/).filter(Boolean);
  return urls.length > 0 ? { kind: 'final', urls, value } : undefined;
}

/** The method a client means: `X-HTTP-Method-Override` wins, for clients that can only POST. */
export function effectiveMethod(
  method: string | undefined,
  override: string | string[] | undefined,
): string {
  const value = typeof override === 'string' && override.trim() !== '' ? override : method;
  return (value ?? 'GET').trim().toUpperCase();
}

const FILENAME_KEYS = ['filename', 'name'];
const FILETYPE_KEYS = ['filetype', 'type', 'contentType'];

function firstOf(metadata: Record<string, string>, keys: string[]): string | undefined {
  for (const key of keys) if (metadata[key] !== undefined) return metadata[key];
  return undefined;
}

/** The file's name and type from `Upload-Metadata` (the keys tus clients use), and the rest. */
export function fileOfMetadata(metadata: Record<string, string>): {
  name: string | undefined;
  type: string | undefined;
  fields: Record<string, string>;
} {
  const fields = Object.fromEntries(
    Object.entries(metadata).filter(
      ([key]) => !FILENAME_KEYS.includes(key) && !FILETYPE_KEYS.includes(key),
    ),
  );
  return { name: firstOf(metadata, FILENAME_KEYS), type: firstOf(metadata, FILETYPE_KEYS), fields };
}

/** A percent-encoded path segment, decoded; `null` when an escape is malformed (`%E0`). */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
