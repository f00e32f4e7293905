import type { Rules } from '@updown/core/rules';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { type ResolvedLimits, resolveLimits } from '../handler/limits';
import type { UploadSlots } from '../handler/upload-slots';
import type { DirectPart, DirectStorage, DirectUploadInfo } from '../storage/direct-storage';
import type { AuthData, Storage } from '../storage/storage';
import { readJsonBody } from './read-json-body';

/** One request to a direct route, as the dispatcher hands it over. */
export interface DirectCall<F, R extends object> {
  ctx: HandlerContext<F, R>;
  /** The mount point, without a trailing `/`. */
  basePath: string;
  /** The request's body, read only by the routes that take one. */
  body: AsyncIterable<Uint8Array>;
  /** What `authorize` returned, kept with a new upload. */
  auth?: AuthData | undefined;
}

/** What a direct route answers: a status and a JSON body (none for a 204). */
export interface DirectAnswer {
  status: number;
  body?: unknown;
}

/** What the dispatcher lends the direct routes, shared with the other routes of the handler. */
export interface DirectShared {
  /**
   * Runs `run` holding the lock on an upload id: this process's queue, then the handler's
   * `tus.locker` when there is one (so across app servers too); 423 `locked` when it stays
   * held past `tus.lockTimeoutMs`.
   */
  withLock<T>(id: string, run: () => Promise<T>): Promise<T>;
  /** The handler's upload slots (`limits.concurrentUploads`): a completion takes one. */
  slots: UploadSlots;
}

/** What every direct route shares: the bucket side, the rules, the limits and the clock. */
export interface DirectRuntime<F, R extends object> {
  readonly store: DirectStorage;
  readonly storage: Storage;
  readonly options: HandlerOptions<F, R>;
  readonly rules: Rules;
  readonly limits: ResolvedLimits;
  readonly slots: UploadSlots;
  /** See `DirectShared.withLock`: every request about one upload holds it. */
  withLock<T>(id: string, run: () => Promise<T>): Promise<T>;
  now(): number;
  /** When an upload created now is abandoned. */
  expiresAfterNow(): number;
  /** Seconds a URL signed now for `upload` is valid: never past its expiry. */
  urlSeconds(upload: DirectUploadInfo): number;
  /** The request's JSON body, within the limits of a small request. */
  readBody(call: DirectCall<F, R>): Promise<unknown>;
  /**
   * The upload, alive: 404 when unknown, and when expired (dropped then). A `completed` one
   * is alive until its expiry too: the routes answer it themselves.
   */
  live(upload: DirectUploadInfo | null): Promise<DirectUploadInfo>;
  /** 404 for an upload `completed` already: it has no parts left to list or sign. */
  stillPending(upload: DirectUploadInfo): void;
  /** The parts in the bucket; 404 (and the upload dropped) when its multipart upload is gone. */
  partsOf(upload: DirectUploadInfo): Promise<DirectPart[]>;
  /**
   * Drops the records past their expiry now, each under its lock; resolves with how many
   * pending uploads went (a `completed` record goes uncounted: its file stays).
   */
  sweep(): Promise<number>;
  /** A sweep in the background, when the last one is older than the sweep interval. */
  maybeSweep(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** SigV4's longest presigned URL. */
const MAX_URL_SECONDS = 7 * 24 * 60 * 60;
/** Room for a completion naming 10 000 parts, beside the fields a creation may bring. */
const BODY_BYTES = 1024 * 1024;

export function createDirectRuntime<F, R extends object>(
  store: DirectStorage,
  storage: Storage,
  options: HandlerOptions<F, R>,
  shared: DirectShared,
): DirectRuntime<F, R> {
  const direct = options.direct ?? {};
  const limits = resolveLimits(options.limits, options.rules);
  const now = direct.now ?? Date.now;
  const expirationMs = direct.expirationMs ?? DAY_MS;
  const urlExpiresIn = Math.min(direct.urlExpiresIn ?? 3600, MAX_URL_SECONDS);
  const sweepIntervalMs = direct.sweepIntervalMs ?? 60 * 60 * 1000;
  let lastSweep = now();

  async function sweep(): Promise<number> {
    lastSweep = now();
    let dropped = 0;
    for (const listed of await store.list()) {
      if (listed.expiresAt > now()) continue;
      // Under the lock, read again: a request may have finished or dropped it meanwhile.
      const gone = await shared
        .withLock(listed.id, async () => {
          const upload = await store.get(listed.id);
          if (!upload || upload.expiresAt > now()) return false;
          await store.discard(upload);
          return !upload.completed;
        })
        // Held past the wait: the next sweep tries again.
        .catch(() => false);
      if (gone) dropped++;
    }
    return dropped;
  }

  return {
    store,
    storage,
    options,
    rules: options.rules ?? {},
    limits,
    slots: shared.slots,
    withLock: shared.withLock,
    now,
    expiresAfterNow: () => now() + expirationMs,
    urlSeconds: (upload) =>
      Math.max(1, Math.min(urlExpiresIn, Math.floor((upload.expiresAt - now()) / 1000))),
    readBody: (call) =>
      readJsonBody(call.body, {
        maxBytes: BODY_BYTES + limits.fieldsTotalSize,
        idleTimeoutMs: limits.idleTimeoutMs,
      }),
    async live(upload) {
      if (!upload) throw new HandlerError('not-found', 'No such upload');
      if (upload.expiresAt <= now()) {
        await store.discard(upload);
        throw new HandlerError('not-found', 'The upload has expired');
      }
      return upload;
    },
    stillPending(upload) {
      if (upload.completed) throw new HandlerError('not-found', 'The upload is complete');
    },
    async partsOf(upload) {
      const parts = await store.listParts(upload);
      if (parts) return parts;
      await store.discard(upload);
      throw new HandlerError('not-found', 'The upload is gone');
    },
    sweep,
    maybeSweep() {
      if (now() - lastSweep < sweepIntervalMs) return;
      lastSweep = now();
      void sweep().catch(() => {});
    },
  };
}
