import { abortError } from '../shared/abort';
import { type HeaderSource, resolveHeaders } from '../shared/headers';
import { type RetryPolicy, retrying } from '../shared/retry';
import type { Transport, TransportContext, TransportItem } from '../transport/transport';
import { relativePathField } from '../transport/upload-fields';
import { isRetryableError, UploadHttpError } from '../transport/upload-http-error';
import type { TusChecksum } from './tus-checksum';
import { tusFingerprint } from './tus-fingerprint';
import { type TusAnswer, type TusSend, xhrSend } from './tus-http';
import { encodeTusMetadata } from './tus-metadata';
import { defaultUrlStore, type TusUrlStore } from './tus-url-store';

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
  headers?: HeaderSource;
  /** Send cookies cross-origin. Defaults to `false`. */
  withCredentials?: boolean;
  /**
   * Split the file into this many uploads sent at once, joined by the server at the end
   * (tus concatenation extension; updown's server has it, @tus/server does not). Defaults to `1`.
   */
  parallel?: number;
  /**
   * Send `Upload-Checksum` with each chunk (the server answers 460 on a mismatch):
   * `tusChecksum('sha1')` or `tusChecksum('sha256')`, or your own. Defaults to none.
   */
  checksum?: TusChecksum | false;
  /**
   * Waits in ms before each new try after a network error, a 5xx, a 409 (offset out of
   * step: the offset is asked again), a 423 or a 460; a try that moved bytes starts the
   * count again. These are the only retries: the uploader's `retry` option does not add more
   * on top. Defaults to `[0, 1000, 3000, 5000]`.
   */
  retryDelays?: readonly number[];
  /** Send a file no larger than `chunkSize` with the creation request itself. Defaults to `true`. */
  uploadDataDuringCreation?: boolean;
  /**
   * How requests go out. Defaults to `XMLHttpRequest` (real progress of the bytes in
   * flight). Where there is none (Node, Deno, service workers) pass `tusFetch()` (a
   * streamed body), or `tusFetch(myFetch)`; without it an upload there fails with
   * `missing-transport`.
   */
  request?: TusSend;
}

/** What a finished tus upload resolves with (it becomes `item.response`). */
export interface TusUploadResult {
  /** The upload's URL on the tus server. */
  uploadUrl: string;
  /** The last path segment of `uploadUrl`: with updown's server, the stored file's id. */
  id: string;
  size: number;
}

const RETRY_STATUSES = new Set([409, 423, 460]);

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

/** One tus upload carrying `[start, end)` of the file. */
interface Segment {
  start: number;
  end: number;
  url: string | null;
}

/** A stored value: one URL, or a JSON list of the partial uploads' URLs. */
function parseStored(
  value: string | null | undefined,
  busy: ReadonlySet<string>,
): (string | null)[] | undefined {
  if (!value) return undefined;
  let list: (string | null)[] = [value];
  if (value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed)) return undefined;
      list = parsed.map((url) => (typeof url === 'string' && url ? url : null));
    } catch {
      return undefined;
    }
  }
  // Another item (the same file added twice) is sending to these right now.
  return list.some((url) => url !== null && busy.has(url)) ? undefined : list;
}

function integerHeader(answer: TusAnswer, name: string): number | null {
  const value = answer.header(name);
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function httpError(answer: TusAnswer): UploadHttpError {
  return UploadHttpError.fromAnswer(answer.status, answer.statusText, answer.text);
}

/** Throws the answer's error unless it is a 2xx. */
function expectSuccess(answer: TusAnswer): void {
  if (answer.status < 200 || answer.status >= 300) throw httpError(answer);
}

/** The answer's `Upload-Offset` as `check` allows it, else a `malformed-answer` error. */
function offsetHeader(
  answer: TusAnswer,
  method: string,
  check: (offset: number) => boolean = () => true,
): number {
  const offset = integerHeader(answer, 'Upload-Offset');
  if (offset === null || !check(offset)) {
    throw new UploadHttpError(
      answer.status,
      'malformed-answer',
      `${method} gave no valid Upload-Offset`,
    );
  }
  return offset;
}

/** The URL a creation answered (`201` with a `Location`), absolute. */
function createdUrl(answer: TusAnswer, endpoint: string): string {
  const location = answer.header('Location');
  if (answer.status !== 201 || !location) throw httpError(answer);
  return absolute(location, endpoint);
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
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const retryDelays = options.retryDelays ?? [0, 1000, 3000, 5000];
  const retryPolicy: RetryPolicy = {
    attempts: retryDelays.length + 1,
    delay: (failure) => retryDelays[failure - 1] ?? 0,
    // What any upload retries, and the tus answers that pass on a later try: a wrong offset
    // (409), a locked upload (423), a checksum mismatch (460).
    retryable: (error) =>
      isRetryableError(error) ||
      (error instanceof UploadHttpError && RETRY_STATUSES.has(error.status)),
  };
  const storeFingerprint = options.storeFingerprint ?? true;
  let urlStore: TusUrlStore | undefined = options.urlStore;
  const store = () => {
    urlStore ??= defaultUrlStore();
    return urlStore;
  };
  /** Upload URLs of items seen by this transport, so pause/resume never needs the store. */
  const urls = new Map<string, (string | null)[]>();
  /** URLs being sent to right now: two items never write one upload. */
  const busy = new Set<string>();
  /** The highest progress told per item: what users see never goes backwards. */
  const shown = new Map<string, number>();

  const send: TusSend = async (request) => {
    const via = options.request ?? (typeof XMLHttpRequest === 'undefined' ? null : xhrSend);
    if (!via) {
      throw Object.assign(new Error('No XMLHttpRequest here: pass `request: tusFetch()`'), {
        code: 'missing-transport',
      });
    }
    return via({ ...request, withCredentials: options.withCredentials ?? false });
  };

  function headersFor(extra?: Record<string, string>): Record<string, string> {
    return { ...resolveHeaders(options.headers), 'Tus-Resumable': '1.0.0', ...extra };
  }

  const upload = async (
    item: TransportItem,
    { signal, onProgress, metadata }: TransportContext,
  ): Promise<TusUploadResult> => {
    if (signal.aborted) throw abortError();
    const size = item.size;
    // One upload, or `parallel` partial ones (concatenation extension) joined at the end.
    const count = Math.max(1, Math.min(parallel, Math.ceil(size / chunkSize)));
    const segments: Segment[] = Array.from({ length: count }, (_, i) => ({
      start: Math.floor((i * size) / count),
      end: Math.floor(((i + 1) * size) / count),
      url: null,
    }));
    const partial = count > 1;
    /** Bytes acknowledged plus in flight, per segment. */
    const done = segments.map(() => 0);
    const tell = () => {
      let loaded = 0;
      for (const n of done) loaded += n;
      const best = Math.max(shown.get(item.id) ?? 0, Math.min(size, loaded));
      shown.set(item.id, best);
      if (!signal.aborted) onProgress(best, size);
    };
    tell();

    // Siblings stop together: a segment that fails for good aborts the others.
    const inner = new AbortController();
    const forward = () => inner.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });

    const fingerprint = storeFingerprint
      ? await (options.fingerprint ?? tusFingerprint)(item, absolute(options.endpoint))
      : null;
    const fields: Record<string, string> = {
      ...metadata,
      filename: item.name,
      filetype: item.type || 'application/octet-stream',
      ...relativePathField(metadata, item.relativePath),
    };

    async function remember(): Promise<void> {
      const list = segments.map((segment) => segment.url);
      urls.set(item.id, list);
      if (fingerprint)
        await store().set(fingerprint, partial ? JSON.stringify(list) : (list[0] ?? ''));
    }

    async function checksumHeader(chunk: Blob): Promise<Record<string, string>> {
      return options.checksum ? { 'Upload-Checksum': await options.checksum(chunk) } : {};
    }

    /** Runs one request step with retries: network errors, 5xx, 409, 423, 460. */
    function withRetries<T>(step: () => Promise<T>, progressed: () => boolean): Promise<T> {
      return retrying(step, { policy: retryPolicy, signal: inner.signal, progressed });
    }

    async function runSegment(segment: Segment, index: number): Promise<void> {
      const length = segment.end - segment.start;
      /** What the server holds of the segment, as far as this try knows. */
      let offset: number | null = null;
      let lastSeen = 0;
      await withRetries(
        async () => {
          if (segment.url) {
            // Where the upload stands; a 404, 410 or 403 says the server no longer has it.
            const answer = await send({
              method: 'HEAD',
              url: segment.url,
              headers: headersFor(),
              signal: inner.signal,
            });
            if (answer.status === 404 || answer.status === 410 || answer.status === 403) {
              segment.url = null;
              await remember();
            } else {
              expectSuccess(answer);
              offset = offsetHeader(answer, 'HEAD');
            }
          }
          if (!segment.url) {
            // A new upload, carrying the data when the segment fits in one chunk.
            const withData =
              (options.uploadDataDuringCreation ?? true) && length > 0 && length <= chunkSize;
            const body = withData ? item.file.slice(segment.start, segment.end) : undefined;
            const answer = await send({
              method: 'POST',
              url: absolute(options.endpoint),
              headers: headersFor({
                'Upload-Length': String(length),
                // The name and type go with the final upload; a piece is only bytes.
                ...(partial
                  ? { 'Upload-Concat': 'partial' }
                  : { 'Upload-Metadata': encodeTusMetadata(fields) }),
                ...(body ? await checksumHeader(body) : {}),
              }),
              ...(body
                ? {
                    body,
                    onBytes: (sent: number) => {
                      done[index] = sent;
                      tell();
                    },
                  }
                : {}),
              signal: inner.signal,
            });
            segment.url = createdUrl(answer, options.endpoint);
            offset = integerHeader(answer, 'Upload-Offset') ?? 0;
            await remember();
          }
          busy.add(segment.url);
          offset ??= 0;
          done[index] = offset;
          tell();
          // PATCH one chunk at a time, each from the offset the server acknowledged.
          while (offset < length) {
            const at = offset;
            const chunk = item.file.slice(
              segment.start + at,
              segment.start + Math.min(length, at + chunkSize),
            );
            const answer = await send({
              method: 'PATCH',
              url: segment.url,
              headers: headersFor({
                'Upload-Offset': String(at),
                ...(await checksumHeader(chunk)),
              }),
              body: chunk,
              onBytes: (sent) => {
                done[index] = at + sent;
                tell();
              },
              signal: inner.signal,
            });
            expectSuccess(answer);
            offset = offsetHeader(answer, 'PATCH', (next) => next >= at && next <= length);
            done[index] = offset;
            tell();
          }
        },
        () => {
          // Bytes got through since the last failure: the connection is not hopeless.
          const reached = offset ?? 0;
          const moved = reached > lastSeen;
          lastSeen = Math.max(lastSeen, reached);
          offset = null;
          return moved;
        },
      );
    }

    try {
      // The item's own URLs even if its last call is still unwinding: the server serializes.
      let known = urls.get(item.id);
      if (!known && fingerprint) known = parseStored(await store().get(fingerprint), busy);
      if (known && known.length === count) {
        known.forEach((url, i) => {
          segments[i]!.url = url;
        });
      }
      const runs = segments.map((segment, index) =>
        runSegment(segment, index).catch((error: unknown) => {
          inner.abort();
          throw error;
        }),
      );
      const settled = await Promise.allSettled(runs);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      // Partial uploads are joined into the final one, which carries the name and type.
      const uploadUrl = partial
        ? await withRetries(
            async () => {
              const answer = await send({
                method: 'POST',
                url: absolute(options.endpoint),
                headers: headersFor({
                  'Upload-Concat': `final;${segments.map((segment) => segment.url).join(' ')}`,
                  'Upload-Metadata': encodeTusMetadata(fields),
                }),
                signal: inner.signal,
              });
              return createdUrl(answer, options.endpoint);
            },
            () => false,
          )
        : segments[0]!.url!;
      if (fingerprint) await store().remove(fingerprint);
      urls.delete(item.id);
      shown.delete(item.id);
      return { uploadUrl, id: new URL(uploadUrl).pathname.split('/').pop() ?? '', size };
    } catch (error) {
      if (signal.aborted) {
        // On `'cancel'` and `'remove'` the upload is terminated on the server (DELETE); any
        // other reason keeps it to resume.
        if (signal.reason === 'cancel' || signal.reason === 'remove') {
          urls.delete(item.id);
          shown.delete(item.id);
          if (fingerprint) await store().remove(fingerprint);
          // No signal: the termination must outlive the abort that asked for it.
          await Promise.all(
            segments.map((segment) =>
              segment.url
                ? send({ method: 'DELETE', url: segment.url, headers: headersFor() }).catch(
                    () => {},
                  )
                : undefined,
            ),
          );
        }
        throw abortError();
      }
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      for (const segment of segments) if (segment.url) busy.delete(segment.url);
    }
  };
  // Its own retries resume from the server's offset; the uploader must not stack more on them.
  return Object.assign(upload, { retriesItself: true });
}
