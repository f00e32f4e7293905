import { abortError } from '../shared/abort';
import type { HeaderSource } from '../shared/headers';
import { type RetryPolicy, retrying } from '../shared/retry';
import type { Transport, TransportContext, TransportItem } from '../transport/transport';
import { relativePathField } from '../transport/upload-fields';
import { isRetryableError, UploadHttpError } from '../transport/upload-http-error';
import { tusFingerprint } from '../tus/tus-fingerprint';
import { defaultUrlStore, type TusUrlStore } from '../tus/tus-url-store';
import { bucketPut } from './bucket-put';
import { type DirectMultipart, type DirectPut, directApi } from './direct-api';

export interface S3TransportOptions {
  /** Where updown's handler is mounted, such as `/api/files`: the transport calls its `/direct` routes. */
  endpoint: string;
  /** Parts of one file sent at once. Defaults to `4`. */
  partConcurrency?: number;
  /**
   * Remember each file's upload by its fingerprint, to resume it after a reload (or, once its
   * bytes are in the bucket, ask for its completion again). Defaults to `true`.
   */
  storeFingerprint?: boolean;
  /**
   * Where fingerprints are kept (any `tusTransport` store, `indexedDbUrlStore()` included).
   * Defaults to `localStorage` in browsers, memory elsewhere.
   */
  urlStore?: TusUrlStore;
  /** Names a file for `urlStore`. Defaults to `tusFingerprint(item, endpoint, 's3')`. */
  fingerprint?: (item: TransportItem, endpoint: string) => string | Promise<string>;
  /** Extra headers of the requests to the app server (never sent to the bucket), or a function called before each. */
  headers?: HeaderSource;
  /** Send cookies to a cross-origin app server. Defaults to `false`. */
  withCredentials?: boolean;
  /**
   * Waits in ms before each new try after a network error or a 5xx (and, for the bucket, a
   * 403: the URL is signed again). A failed part is tried again alone; the parts already in
   * the bucket stay. These are the only retries: the uploader's `retry` option does not add
   * more on top. Defaults to `[0, 1000, 3000, 5000]`.
   */
  retryDelays?: readonly number[];
  /**
   * How bytes go to the bucket. Defaults to `'xhr'` where `XMLHttpRequest` exists (real
   * progress of the bytes in flight), else `'fetch'` (a streamed body in Node).
   */
  request?: 'xhr' | 'fetch';
  /** The `fetch` to call. Defaults to `globalThis.fetch`, looked up at each request. */
  fetch?: typeof fetch;
}

/** On `'cancel'` and `'remove'` the upload is aborted on the server; a pause or a destroy keeps it to resume. */
function isTermination(reason: unknown): boolean {
  return reason === 'cancel' || reason === 'remove';
}

/** An upload the server knows, by its id: a PUT without its URL was sent, or is remembered. */
interface KnownUpload {
  id: string;
  kind: 'put' | 'multipart';
}

/** What is remembered of an upload by the file's fingerprint (records of old have no `put`). */
function parseRecord(value: string | null | undefined): KnownUpload | undefined {
  if (!value?.startsWith('{')) return undefined;
  try {
    const { id, kind } = JSON.parse(value) as { id?: unknown; kind?: unknown };
    return typeof id === 'string' && id
      ? { id, kind: kind === 'put' ? kind : 'multipart' }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parts signed per request to the app server. */
const SIGN_BATCH = 8;
/** A presigned PUT this close to its expiry is not started: the server signs a new one. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Uploads straight to an S3 bucket, the app server (updown's handler over `s3Storage`) only
 * signing and checking: one presigned PUT for a small file, a multipart upload for a large
 * one with `partConcurrency` parts in flight. Progress counts the bytes of finished parts
 * plus those in flight, and never goes backwards. A failed part is retried alone; pause
 * keeps the finished parts, and a file selected again after a reload lists the parts the
 * bucket holds and sends only the missing ones; a small file's PUT, remembered the same way,
 * has its completion asked for first, so an answer lost is not a second upload. Cancel
 * aborts the upload. Resolves with the server's answer to completion (`{ files, fields }`,
 * as `POST /upload`).
 *
 * The bucket's CORS configuration must allow `PUT` from the app's origin and expose `ETag`.
 *
 * @example
 * createUploader({ transport: s3Transport({ endpoint: '/api/files' }) })
 */
export function s3Transport<R = unknown>(options: S3TransportOptions): Transport<R> {
  const partConcurrency = Math.max(1, Math.floor(options.partConcurrency ?? 4));
  const retryDelays = options.retryDelays ?? [0, 1000, 3000, 5000];
  const policy = (retryable: (error: unknown) => boolean): RetryPolicy => ({
    attempts: retryDelays.length + 1,
    delay: (failure) => retryDelays[failure - 1] ?? 0,
    retryable,
  });
  const serverPolicy = policy(isRetryableError);
  // An expired signature is a 403: the part is signed again on its next try.
  const bucketPolicy = policy(
    (error) =>
      isRetryableError(error) || (error instanceof UploadHttpError && error.status === 403),
  );
  const api = directApi(options);
  const storeFingerprint = options.storeFingerprint ?? true;
  let urlStore: TusUrlStore | undefined = options.urlStore;
  const store = () => {
    urlStore ??= defaultUrlStore();
    return urlStore;
  };
  /**
   * Each item's upload on the server, so a pause and a resume never need the store; a PUT
   * keeps its URL until its bytes are in the bucket.
   */
  const uploads = new Map<string, DirectPut | KnownUpload>();
  /** Upload ids being sent to right now: two items never write one upload. */
  const busy = new Set<string>();
  /** The highest progress told per item: what users see never goes backwards. */
  const shown = new Map<string, number>();

  const upload = async (
    item: TransportItem,
    { signal, onProgress, metadata }: TransportContext,
  ): Promise<R> => {
    if (signal.aborted) throw abortError();
    const size = item.size;
    // Siblings stop together: a part that fails for good aborts the others.
    const inner = new AbortController();
    const forward = () => inner.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let finished = 0;
    const inFlight = new Map<number, number>();
    const tell = () => {
      let loaded = finished;
      for (const n of inFlight.values()) loaded += n;
      const best = Math.max(shown.get(item.id) ?? 0, Math.min(size, loaded));
      shown.set(item.id, best);
      if (!signal.aborted) onProgress(best, size);
    };
    tell();

    const fingerprint = storeFingerprint
      ? await (options.fingerprint ?? ((i, e) => tusFingerprint(i, e, 's3')))(
          item,
          options.endpoint,
        )
      : null;
    const forget = async () => {
      uploads.delete(item.id);
      shown.delete(item.id);
      if (fingerprint) await store().remove(fingerprint);
    };
    const withRetries = <T>(step: () => Promise<T>, retry = serverPolicy) =>
      retrying(step, { policy: retry, signal: inner.signal });

    /** PUTs one piece to the bucket, counting its bytes in flight; answers its ETag. */
    async function put(key: number, url: string, body: Blob, headers: Record<string, string>) {
      inFlight.set(key, 0);
      try {
        const answer = await bucketPut({
          url,
          body,
          headers,
          signal: inner.signal,
          onBytes: (sent) => {
            inFlight.set(key, sent);
            tell();
          },
          ...(options.request ? { request: options.request } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        if (answer.status < 200 || answer.status >= 300)
          throw UploadHttpError.fromAnswer(answer.status, answer.statusText, answer.text);
        const etag = answer.header('ETag');
        if (!etag) {
          throw new UploadHttpError(
            answer.status,
            'missing-etag',
            "The bucket's answer has no ETag header: its CORS configuration must expose ETag",
          );
        }
        finished += body.size;
        return etag;
      } finally {
        inFlight.delete(key);
        tell();
      }
    }

    async function sendParts(upload: DirectMultipart, etags: Map<number, string>): Promise<void> {
      const queue: number[] = [];
      for (let n = 1; n <= upload.partCount; n++) if (!etags.has(n)) queue.push(n);
      const signing = new Map<number, Promise<string>>();
      /** The part's URL, signed with the next few parts still waiting for one. */
      const urlFor = (n: number): Promise<string> => {
        const known = signing.get(n);
        if (known) return known;
        const batch = [n, ...queue.filter((m) => !signing.has(m))].slice(0, SIGN_BATCH);
        const signed = api.sign(upload.id, batch, inner.signal);
        for (const m of batch) {
          const url = signed.then((urls) => urls.get(m) as string);
          // Each part awaits its own; one never started must not be an unhandled rejection.
          url.catch(() => {});
          signing.set(m, url);
        }
        // A failed batch is signed again by whoever needs it next.
        signed.catch(() => {
          for (const m of batch) signing.delete(m);
        });
        return signing.get(n) as Promise<string>;
      };
      const sendPart = (n: number) =>
        withRetries(async () => {
          const start = (n - 1) * upload.partSize;
          const body = item.file.slice(start, Math.min(size, start + upload.partSize));
          try {
            etags.set(n, await put(n, await urlFor(n), body, {}));
          } catch (error) {
            signing.delete(n);
            throw error;
          }
        }, bucketPolicy);
      const worker = async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) await sendPart(n);
      };
      const runs = Array.from({ length: Math.min(partConcurrency, queue.length) }, () =>
        worker().catch((error: unknown) => {
          inner.abort();
          throw error;
        }),
      );
      const settled = await Promise.allSettled(runs);
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }

    /**
     * The answer of a completion done before (or done now, of a PUT whose bytes are in the
     * bucket), `null` when the upload is to start over: 404 when the server no longer knows it
     * (aborted, expired, or its file deleted since), 400 when its bytes never arrived (the
     * server keeps it: aborted here) or were not the declared size (deleted).
     */
    async function completedBefore(id: string): Promise<unknown> {
      try {
        return await withRetries(() => api.complete(id, undefined, inner.signal));
      } catch (error) {
        const status = error instanceof UploadHttpError && error.status;
        if (status === 400) await api.abort(id);
        if (status === 400 || status === 404) return null;
        throw error;
      }
    }

    /** The parts already in the bucket, `null` when the server no longer knows the upload. */
    async function resumed(id: string) {
      const listed = await withRetries(() => api.list(id, inner.signal));
      if (!listed) return null;
      const etags = new Map<number, string>();
      const { partSize, partCount } = listed.upload;
      for (const part of listed.parts) {
        const expected =
          Math.min(size, part.partNumber * partSize) - (part.partNumber - 1) * partSize;
        // A part of another length is sent again: the bucket keeps the last one of a number.
        if (part.partNumber <= partCount && part.size === expected && !etags.has(part.partNumber)) {
          etags.set(part.partNumber, part.etag);
          finished += part.size;
        }
      }
      return { upload: listed.upload, etags };
    }

    let id: string | undefined;
    const claim = (claimed: string) => {
      id = claimed;
      busy.add(claimed);
    };
    try {
      let known = uploads.get(item.id);
      if (!known && fingerprint) {
        const stored = parseRecord(await store().get(fingerprint));
        if (stored && !busy.has(stored.id)) known = stored;
      }
      let target: DirectPut | DirectMultipart | undefined;
      let etags = new Map<number, string>();
      if (known && 'url' in known && Date.parse(known.expiresAt) - Date.now() > EXPIRY_MARGIN_MS) {
        target = known;
      } else if (known) {
        claim(known.id);
        const found = known.kind === 'multipart' && (await resumed(known.id));
        if (found) ({ upload: target, etags } = found);
        else {
          // The list refuses a completed upload too, and a PUT has nothing to list: one whose
          // answer was lost, or whose page was closed before it. Asking for the completion
          // (again) replays its 201, where starting over would publish twice.
          const answer = await completedBefore(known.id);
          if (answer) {
            await forget();
            return answer as R;
          }
          busy.delete(known.id);
          id = undefined;
          await forget();
        }
      }
      if (!target) {
        target = await withRetries(() =>
          api.create(
            {
              name: item.name,
              size,
              type: item.type || 'application/octet-stream',
              fields: { ...metadata, ...relativePathField(metadata, item.relativePath) },
            },
            inner.signal,
          ),
        );
        uploads.set(item.id, target);
        if (fingerprint)
          await store().set(fingerprint, JSON.stringify({ id: target.id, kind: target.kind }));
      }
      claim(target.id);
      tell();
      if (target.kind === 'put') {
        const { url, headers } = target;
        await withRetries(() => put(0, url, item.file, headers), bucketPolicy);
        // In the bucket: a next try asks for the completion instead of sending it again.
        uploads.set(item.id, { id: target.id, kind: 'put' });
      } else {
        await sendParts(target, etags);
      }
      const parts =
        target.kind === 'multipart'
          ? [...etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }))
          : undefined;
      const { id: done } = target;
      const answer = await withRetries(() => api.complete(done, parts, inner.signal)).catch(
        async (error: unknown) => {
          // Refused on completion: the server deleted what the bucket held. A 400 may keep
          // the upload to complete again (a part missing): a retry lists it, or starts over.
          if (error instanceof UploadHttpError && error.status > 400 && error.status < 500)
            await forget();
          throw error;
        },
      );
      await forget();
      return answer as R;
    } catch (error) {
      if (signal.aborted) {
        if (isTermination(signal.reason)) {
          const known = id ?? uploads.get(item.id)?.id;
          await forget();
          if (known) await api.abort(known);
        }
        throw abortError();
      }
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      if (id) busy.delete(id);
    }
  };
  // Its own retries keep the parts already sent; the uploader must not stack more on them.
  return Object.assign(upload, { retriesItself: true });
}
