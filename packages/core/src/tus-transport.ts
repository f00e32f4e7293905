import { abortError, resolveHeaders } from './http-transport-options';
import type { Transport, TransportItem } from './transport';
import { type TusChecksumAlgorithm, tusChecksum } from './tus-checksum';
import { tusFingerprint } from './tus-fingerprint';
import { fetchSend, type TusAnswer, type TusSend, xhrSend } from './tus-http';
import { encodeTusMetadata } from './tus-metadata';
import { defaultUrlStore, type TusUrlStore } from './tus-url-store';
import { UploadHttpError } from './upload-http-error';

export interface TusTransportOptions {
  /** The creation URL (`POST`), such as `/api/files/tus`. */
  endpoint: string;
  /** Bytes per PATCH request. Defaults to 8 MiB. */
  chunkSize?: number;
  /** Remember each file's upload URL by its fingerprint to resume after a reload. Defaults to `true`. */
  storeFingerprint?: boolean;
  /** Where fingerprints are kept. Defaults to `localStorage` in browsers, memory elsewhere. */
  urlStore?: TusUrlStore;
  /** Names a file for `urlStore`. Defaults to `tusFingerprint` (name, size, type, lastModified, endpoint). */
  fingerprint?: (item: TransportItem, endpoint: string) => string | Promise<string>;
  /** Extra request headers, or a function called before each request (fresh tokens). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Send cookies cross-origin. Defaults to `false`. */
  withCredentials?: boolean;
  /** Send `Upload-Checksum` with each chunk (the server answers 460 on a mismatch). Defaults to `false`. */
  checksum?: TusChecksumAlgorithm | false;
  /**
   * Waits in ms before each new try after a network error, a 5xx, a 409 (offset out of
   * step: the offset is asked again), a 423 or a 460. Defaults to `[0, 1000, 3000, 5000]`.
   */
  retryDelays?: readonly number[];
  /** Send a file no larger than `chunkSize` with the creation request itself. Defaults to `true`. */
  uploadDataDuringCreation?: boolean;
  /**
   * How requests go out. Defaults to `'xhr'` where `XMLHttpRequest` exists (real progress
   * of the bytes in flight), else `'fetch'` (a streamed body in Node).
   */
  request?: 'xhr' | 'fetch';
  /** The `fetch` to call. Defaults to `globalThis.fetch`, looked up at each request. */
  fetch?: typeof fetch;
}

/** What a finished tus upload resolves with (it becomes `item.response`). */
export interface TusUploadResult {
  /** The upload's URL on the tus server. */
  uploadUrl: string;
  /** The last path segment of `uploadUrl`: with updown's server, the stored file's id. */
  id: string;
  size: number;
}

/**
 * The reason the uploader gives `AbortController.abort(reason)`: on `'cancel'` and
 * `'remove'` the transport terminates the upload on the server (DELETE); any other reason
 * (pause, destroy, none) keeps it there to be resumed.
 */
export type TusAbortReason = 'pause' | 'cancel' | 'remove' | 'destroy';

function isTermination(reason: unknown): boolean {
  return reason === 'cancel' || reason === 'remove';
}

const TUS_VERSION = '1.0.0';
const RETRY_STATUSES = new Set([409, 423, 460]);

function isRetryable(error: unknown): boolean {
  if (error instanceof UploadHttpError) {
    return error.status === 0 || error.status >= 500 || RETRY_STATUSES.has(error.status);
  }
  return error instanceof TypeError;
}

function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function absolute(url: string, base?: string): string {
  const origin = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base ? new URL(base, origin) : origin).href;
  } catch {
    // Not a TypeError: a bad endpoint is a setup mistake, not a network error to retry.
    throw Object.assign(
      new Error(
        `tus endpoint ${url} is not a valid URL here (use an absolute URL outside browsers)`,
      ),
      {
        code: 'invalid-endpoint',
      },
    );
  }
}

function integerHeader(answer: TusAnswer, name: string): number | null {
  const value = answer.header(name);
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function httpError(answer: TusAnswer): UploadHttpError {
  return UploadHttpError.fromAnswer(answer.status, answer.statusText, answer.text);
}

/**
 * Resumable uploads over tus 1.0.0: creation (with the data for small files), PATCH chunks
 * read with `file.slice()` as they are sent (memory stays at a chunk or two), HEAD to find
 * the offset after a failure or a pause, retries with backoff, termination on cancel, and
 * resume across reloads by the file's fingerprint. Progress counts bytes acknowledged plus
 * bytes in flight, and never goes backwards.
 *
 * @example
 * createUploader({ transport: tusTransport({ endpoint: '/api/files/tus', chunkSize: 5 * 1024 * 1024 }) })
 */
export function tusTransport(options: TusTransportOptions): Transport<TusUploadResult> {
  const chunkSize = Math.max(1, options.chunkSize ?? 8 * 1024 * 1024);
  const retryDelays = options.retryDelays ?? [0, 1000, 3000, 5000];
  const storeFingerprint = options.storeFingerprint ?? true;
  let urlStore: TusUrlStore | undefined = options.urlStore;
  const store = () => {
    urlStore ??= defaultUrlStore();
    return urlStore;
  };
  /** Upload URLs of items seen by this transport, so pause/resume never needs the store. */
  const urls = new Map<string, string>();
  /** URLs being sent to right now: two items never write one upload. */
  const busy = new Set<string>();
  /** The highest progress told per item: what users see never goes backwards. */
  const shown = new Map<string, number>();

  const send: TusSend = (request) => {
    const useXhr =
      options.request === 'xhr' ||
      (options.request === undefined && typeof XMLHttpRequest !== 'undefined');
    return (useXhr ? xhrSend() : fetchSend(options.fetch))({
      ...request,
      withCredentials: options.withCredentials ?? false,
    });
  };

  function headersFor(extra: Record<string, string>): Record<string, string> {
    return { ...resolveHeaders(options.headers), 'Tus-Resumable': TUS_VERSION, ...extra };
  }

  return async (item, { signal, onProgress, metadata }) => {
    if (signal.aborted) throw abortError();
    const size = item.size;
    const tell = (loaded: number) => {
      const best = Math.max(shown.get(item.id) ?? 0, Math.min(size, loaded));
      shown.set(item.id, best);
      if (!signal.aborted) onProgress(best, size);
    };
    tell(0);

    const fingerprint = storeFingerprint
      ? await (options.fingerprint ?? tusFingerprint)(item, absolute(options.endpoint))
      : null;

    /** The offset of an upload, `null` when the server no longer has it. */
    async function offsetOf(url: string): Promise<number | null> {
      const answer = await send({ method: 'HEAD', url, headers: headersFor({}), signal });
      if (answer.status === 404 || answer.status === 410 || answer.status === 403) return null;
      if (answer.status < 200 || answer.status >= 300) throw httpError(answer);
      const offset = integerHeader(answer, 'Upload-Offset');
      if (offset === null)
        throw new UploadHttpError(answer.status, 'malformed-answer', 'HEAD gave no Upload-Offset');
      return offset;
    }

    async function checksumHeader(chunk: Blob): Promise<Record<string, string>> {
      return options.checksum
        ? { 'Upload-Checksum': await tusChecksum(chunk, options.checksum) }
        : {};
    }

    async function create(): Promise<{ url: string; offset: number }> {
      const fields: Record<string, string> = {
        ...metadata,
        filename: item.name,
        filetype: item.type || 'application/octet-stream',
        ...(item.relativePath && !('relativePath' in metadata)
          ? { relativePath: item.relativePath }
          : {}),
      };
      const withData = (options.uploadDataDuringCreation ?? true) && size > 0 && size <= chunkSize;
      const body = withData ? item.file.slice(0, size) : undefined;
      const answer = await send({
        method: 'POST',
        url: absolute(options.endpoint),
        headers: headersFor({
          'Upload-Length': String(size),
          'Upload-Metadata': encodeTusMetadata(fields),
          ...(body ? await checksumHeader(body) : {}),
        }),
        ...(body ? { body, onBytes: tell } : {}),
        signal,
      });
      const location = answer.header('Location');
      if (answer.status !== 201 || !location) throw httpError(answer);
      return {
        url: absolute(location, options.endpoint),
        offset: integerHeader(answer, 'Upload-Offset') ?? 0,
      };
    }

    async function patch(url: string, offset: number): Promise<number> {
      const chunk = item.file.slice(offset, Math.min(size, offset + chunkSize));
      const answer = await send({
        method: 'PATCH',
        url,
        headers: headersFor({ 'Upload-Offset': String(offset), ...(await checksumHeader(chunk)) }),
        body: chunk,
        onBytes: (sent) => tell(offset + sent),
        signal,
      });
      if (answer.status < 200 || answer.status >= 300) throw httpError(answer);
      const next = integerHeader(answer, 'Upload-Offset');
      if (next === null || next < offset || next > size) {
        throw new UploadHttpError(
          answer.status,
          'malformed-answer',
          'PATCH gave no valid Upload-Offset',
        );
      }
      return next;
    }

    // The item's own URL even if its last call is still unwinding: the server serializes.
    let url: string | null = urls.get(item.id) ?? null;
    let offset: number | null = null;
    try {
      if (!url && fingerprint) {
        const stored = await store().get(fingerprint);
        if (stored && !busy.has(stored)) url = stored;
      }
      let failures = 0;
      let acknowledged = 0;
      for (;;) {
        try {
          if (url && offset === null) {
            offset = await offsetOf(url);
            // Bytes got through since the last failure: the connection is not hopeless.
            if (offset !== null && offset > acknowledged) failures = 0;
            if (offset === null) {
              url = null;
              if (fingerprint) await store().remove(fingerprint);
            }
          }
          if (!url) {
            const created = await create();
            url = created.url;
            offset = created.offset;
            urls.set(item.id, url);
            if (fingerprint) await store().set(fingerprint, url);
          }
          urls.set(item.id, url);
          busy.add(url);
          tell(offset ?? 0);
          acknowledged = offset ?? 0;
          while ((offset ?? 0) < size) {
            offset = await patch(url, offset ?? 0);
            acknowledged = offset;
            failures = 0;
            tell(offset);
          }
          break;
        } catch (error) {
          if (
            signal.aborted ||
            isAbortError(error) ||
            !isRetryable(error) ||
            failures >= retryDelays.length
          ) {
            throw error;
          }
          await sleep(retryDelays[failures++] ?? 0, signal);
          // Whatever the last request did, the server knows the offset: ask again.
          offset = null;
        }
      }
      if (fingerprint) await store().remove(fingerprint);
      urls.delete(item.id);
      shown.delete(item.id);
      const uploadUrl = url;
      return { uploadUrl, id: new URL(uploadUrl).pathname.split('/').pop() ?? '', size };
    } catch (error) {
      if (signal.aborted) {
        if (isTermination(signal.reason)) {
          urls.delete(item.id);
          shown.delete(item.id);
          if (fingerprint) await store().remove(fingerprint);
          if (url) {
            const target = url;
            // No signal: the termination must outlive the abort that asked for it.
            await send({ method: 'DELETE', url: target, headers: headersFor({}) }).catch(() => {});
          }
        }
        throw abortError();
      }
      throw error;
    } finally {
      if (url) busy.delete(url);
    }
  };
}
