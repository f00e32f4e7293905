import { type HeaderSource, resolveHeaders } from '../shared/headers';
import { fetchRequest } from '../transport/fetch-request';
import { uploadResult } from '../transport/http-answer';
import { UploadHttpError } from '../transport/upload-http-error';

/** What the app server answers `POST /direct` with for a small file: one presigned PUT. */
export interface DirectPut {
  id: string;
  kind: 'put';
  url: string;
  /** Sent with the PUT exactly as given: they are part of its signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

/** What the app server answers `POST /direct` with for a large file: a multipart upload. */
export interface DirectMultipart {
  id: string;
  kind: 'multipart';
  partSize: number;
  partCount: number;
}

export interface ListedPart {
  partNumber: number;
  size: number;
  etag: string;
}

export interface DirectDeclaration {
  name: string;
  size: number;
  type: string;
  fields: Record<string, string>;
}

export interface DirectApiOptions {
  /** The handler's mount path, such as `/api/files`. */
  endpoint: string;
  headers?: HeaderSource;
  withCredentials?: boolean;
  fetch?: typeof fetch;
}

/** The app server's direct-to-bucket routes: it signs and checks, the bytes go to the bucket. */
export interface DirectApi {
  create(declaration: DirectDeclaration, signal: AbortSignal): Promise<DirectPut | DirectMultipart>;
  /** Presigned UploadPart URLs by part number. */
  sign(id: string, partNumbers: number[], signal: AbortSignal): Promise<Map<number, string>>;
  /** The parts the bucket holds, `null` when the upload is unknown, aborted or expired (404). */
  list(
    id: string,
    signal: AbortSignal,
  ): Promise<{ upload: DirectMultipart; parts: ListedPart[] } | null>;
  complete(
    id: string,
    parts: { partNumber: number; etag: string }[] | undefined,
    signal: AbortSignal,
  ): Promise<unknown>;
  /** Never throws: an abort that fails leaves the upload to the server's sweep. */
  abort(id: string): Promise<void>;
}

function malformed(what: string): UploadHttpError {
  return new UploadHttpError(
    200,
    'malformed-answer',
    `The server's answer to ${what} is malformed`,
  );
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function multipart(body: Record<string, unknown>, id: string, what: string): DirectMultipart {
  const { partSize, partCount } = body;
  if (!isCount(partSize) || partSize < 1 || !isCount(partCount)) throw malformed(what);
  return { id, kind: 'multipart', partSize, partCount };
}

export function directApi(options: DirectApiOptions): DirectApi {
  const base = `${options.endpoint.replace(/\/+$/, '')}/direct`;

  async function call(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const answer = await fetchRequest({
      method,
      url: base + path,
      headers: {
        ...resolveHeaders(options.headers),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      withCredentials: options.withCredentials ?? false,
      ...(signal ? { signal } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const parsed = uploadResult<unknown>(answer);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }

  const path = (id: string, rest = '') => `/${encodeURIComponent(id)}${rest}`;

  return {
    async create(declaration, signal) {
      const body = await call('POST', '', declaration, signal);
      const { id, kind, url, headers, expiresAt } = body;
      if (typeof id !== 'string' || !id) throw malformed('POST /direct');
      if (kind === 'multipart') return multipart(body, id, 'POST /direct');
      if (kind !== 'put' || typeof url !== 'string') throw malformed('POST /direct');
      return {
        id,
        kind,
        url,
        headers: headers && typeof headers === 'object' ? (headers as Record<string, string>) : {},
        expiresAt: typeof expiresAt === 'string' ? expiresAt : '',
      };
    },
    async sign(id, partNumbers, signal) {
      const { parts } = await call('POST', path(id, '/parts'), { partNumbers }, signal);
      const urls = new Map<number, string>();
      for (const part of Array.isArray(parts) ? parts : []) {
        const { partNumber, url } = (part ?? {}) as { partNumber?: unknown; url?: unknown };
        if (typeof partNumber === 'number' && typeof url === 'string') urls.set(partNumber, url);
      }
      if (partNumbers.some((n) => !urls.has(n))) throw malformed('POST /direct/:id/parts');
      return urls;
    },
    async list(id, signal) {
      let body: Record<string, unknown>;
      try {
        body = await call('GET', path(id, '/parts'), undefined, signal);
      } catch (error) {
        if (error instanceof UploadHttpError && error.status === 404) return null;
        throw error;
      }
      const upload = multipart(body, id, 'GET /direct/:id/parts');
      const parts: ListedPart[] = [];
      for (const part of Array.isArray(body.parts) ? body.parts : []) {
        const { partNumber, size, etag } = (part ?? {}) as Partial<Record<string, unknown>>;
        if (isCount(partNumber) && isCount(size) && typeof etag === 'string')
          parts.push({ partNumber, size, etag });
      }
      return { upload, parts };
    },
    complete(id, parts, signal) {
      return call('POST', path(id, '/complete'), parts ? { parts } : {}, signal);
    },
    async abort(id) {
      // No signal: the abort must outlive the cancel that asked for it.
      await call('DELETE', path(id), undefined).catch(() => {});
    },
  };
}
