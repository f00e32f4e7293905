import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { AnswerHeaders } from '../exchange/exchange';
import type { FileMetadata } from '../storage/storage';
import { contentHeaders, type Disposition, DOWNLOAD_CSP } from './content-headers';

/** The strong validator of a file: its content hash, which never changes for an id. */
export function etagOf(meta: Pick<FileMetadata, 'sha256'>): string {
  return `"${meta.sha256}"`;
}

/**
 * Throws on a value that cannot be a header (CR, LF, non-Latin-1, from a custom storage or an
 * older version) before anything is opened or half set: the answer is a plain 500.
 */
function checkHeaders(headers: AnswerHeaders): void {
  for (const [name, value] of Object.entries(headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, String(value));
  }
}

/** What a file's answers carry whatever the request's range: built once for each. */
export interface FileHeaders {
  readonly etag: string;
  /** The validators and caching of every answer of the file (a 304 is these alone). */
  readonly common: Readonly<AnswerHeaders>;
  /** A 200 or 206 before its length and range: type, policy, name, validators, caching. */
  content(): Readonly<AnswerHeaders>;
}

interface Asked {
  name: string;
  disposition: Disposition;
  cacheControl: string;
}

function buildFileHeaders(meta: FileMetadata, { name, disposition, cacheControl }: Asked) {
  const etag = etagOf(meta);
  const common = {
    ETag: etag,
    'Last-Modified': new Date(meta.createdAt).toUTCString(),
    'Cache-Control': cacheControl,
    'Content-Security-Policy': DOWNLOAD_CSP,
  };
  checkHeaders(common);
  let content: AnswerHeaders | undefined;
  return {
    etag,
    common,
    // Only when a body is sent: a 304 or 412 never needs the name.
    content() {
      if (!content) {
        const built = {
          ...contentHeaders(name, meta.type, disposition),
          ...common,
          'Accept-Ranges': 'bytes',
        };
        checkHeaders(built);
        content = built;
      }
      return content;
    },
  };
}

/** Headers built for this many (file, name, disposition, caching) at most, oldest out first. */
const CAPACITY = 512;
const built = new Map<string, FileHeaders>();

/**
 * The headers of a stored file's answers, built once and then remembered for what they are
 * made of: the file's hash, time, type and the name, disposition and `Cache-Control` served
 * (a file of new metadata is a new key, never a stale answer). Callers copy before adding.
 */
export function fileHeaders(meta: FileMetadata, asked: Asked): FileHeaders {
  const sha256 = String(meta.sha256);
  const { type } = meta;
  const { name, cacheControl } = asked;
  // Each free-form part after its length: no two different files make the same key.
  const key = `${sha256.length}:${sha256}${meta.createdAt}|${asked.disposition}|${cacheControl.length}:${cacheControl}${type.length}:${type}${name}`;
  const known = built.get(key);
  if (known) return known;
  const made = buildFileHeaders(meta, asked);
  if (built.size >= CAPACITY) built.delete(built.keys().next().value as string);
  built.set(key, made);
  return made;
}
