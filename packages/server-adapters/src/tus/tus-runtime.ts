import type { Hash } from 'node:crypto';
import type { Rules } from '@updown/core/rules';
import type { Exchange } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, HandlerOptions, Release, TusOptions } from '../handler/handler-types';
import { type ResolvedLimits, resolveLimits } from '../handler/limits';
import { isValidFileId } from '../storage/file-id';
import { memoryResumable } from '../storage/memory-resumable';
import type { PartialInfo, ResumableStorage } from '../storage/resumable-storage';
import type { AuthData, Storage } from '../storage/storage';
import { isExpired, sweepExpired } from './tus-expiration';
import { createLockTable } from './tus-lock';

/** The running SHA-256 of an upload's stored bytes, valid while `offset` matches. */
export interface RunningHash {
  hash: Hash;
  offset: number;
}

/** One request to a tus route. */
export interface TusCall<F, R extends object> {
  exchange: Exchange;
  ctx: HandlerContext<F, R>;
  /** The mount point, without a trailing `/`. */
  basePath: string;
  /** What `authorize` returned for a creation, kept with the upload. */
  auth?: AuthData | undefined;
}

/** What every tus route shares: the stores, the locks, the running hashes and the limits. */
export interface TusRuntime<F, R extends object> {
  readonly storage: Storage;
  readonly store: ResumableStorage;
  readonly options: HandlerOptions<F, R>;
  readonly rules: Rules;
  readonly limits: ResolvedLimits;
  readonly hashes: Map<string, RunningHash>;
  now(): number;
  /** When an upload touched now expires; `null` when uploads never do. */
  expiresAfterNow(): number | null;
  /** Runs `run` while holding the upload's lock; 423 `locked` when it stays held too long. */
  withLock<T>(id: string, run: () => Promise<T>): Promise<T>;
  /** Removes a partial upload and forgets its hash; `false` when there was none. */
  dropPartial(id: string): Promise<boolean>;
  /** The upload, alive; 404 when unknown, 410 (and removed) when expired. */
  liveUpload(id: string): Promise<PartialInfo>;
  /** 413 when a length is over `limits.fileSize` (already no more than `rules.maxSize`). */
  checkLength(length: number): void;
  /**
   * Removes expired partial uploads now, and what writes that never finished left behind
   * (`storage.dropAbandoned`); resolves with how many went.
   */
  sweep(): Promise<number>;
  /** A sweep in the background, when the last one is older than the sweep interval. */
  maybeSweep(): void;
}

function lockedError(): HandlerError {
  return new HandlerError('locked', 'Another request is writing this upload');
}

export function createTusRuntime<F, R extends object>(
  storage: Storage,
  options: HandlerOptions<F, R>,
  tus: TusOptions,
): TusRuntime<F, R> {
  const store = tus.resumable ?? storage.resumable ?? memoryResumable(storage);
  const limits = resolveLimits(options.limits, options.rules);
  const now = tus.now ?? Date.now;
  const expirationMs = tus.expirationMs ?? 24 * 60 * 60 * 1000;
  const sweepIntervalMs = tus.sweepIntervalMs ?? 60 * 60 * 1000;
  const lockTimeoutMs = tus.lockTimeoutMs ?? 10_000;
  const locks = createLockTable();
  const hashes = new Map<string, RunningHash>();
  let lastSweep = now();
  // Writes a server that died never finished (on S3, multipart uploads; on disk, partial
  // files), as old as an upload that expires, or a day when uploads never do.
  const abandonedMs = expirationMs > 0 ? expirationMs : 24 * 60 * 60 * 1000;
  // Once at start too, for what a crash left: only what is that old, since another process
  // sharing the store may be writing right now.
  void Promise.resolve()
    .then(() => storage.dropAbandoned?.(now() - abandonedMs))
    .catch(() => {});

  async function dropPartial(id: string): Promise<boolean> {
    hashes.delete(id);
    return store.deletePartial(id);
  }

  async function sweep(): Promise<number> {
    lastSweep = now();
    const removed = await sweepExpired(store, now(), async (id) => {
      // An upload a request is writing, here or on another server, waits for the next sweep.
      if (locks.isHeld(id)) return false;
      const shared = tus.locker ? await tus.locker.acquire(id, 0) : null;
      if (tus.locker && !shared) return false;
      try {
        return await dropPartial(id);
      } finally {
        await shared?.();
      }
    });
    const abandoned = (await storage.dropAbandoned?.(now() - abandonedMs)) ?? 0;
    for (const id of hashes.keys()) {
      if (!locks.isHeld(id) && !(await store.getPartialInfo(id))) hashes.delete(id);
    }
    return removed + abandoned;
  }

  return {
    storage,
    store,
    options,
    rules: options.rules ?? {},
    limits,
    hashes,
    now,
    expiresAfterNow: () => (expirationMs > 0 ? now() + expirationMs : null),
    async withLock(id, run) {
      const since = Date.now();
      const release = await locks.acquire(id, lockTimeoutMs);
      if (!release) throw lockedError();
      let shared: Release | null = null;
      try {
        // This process's own queue first, so that only its head waits on the shared lock.
        if (tus.locker) {
          shared = await tus.locker.acquire(id, Math.max(0, lockTimeoutMs - (Date.now() - since)));
          if (!shared) throw lockedError();
        }
        return await run();
      } finally {
        // Given back before the answer, so the client's next request finds it free anywhere.
        await shared?.();
        release();
      }
    },
    dropPartial,
    async liveUpload(id) {
      const info = isValidFileId(id) ? await store.getPartialInfo(id) : null;
      if (!info) throw new HandlerError('not-found', 'No such upload');
      if (isExpired(info, now())) {
        await dropPartial(id);
        throw new HandlerError('upload-expired', 'The upload has expired');
      }
      return info;
    },
    checkLength(length) {
      if (length > limits.fileSize) {
        throw new HandlerError(
          'file-too-large',
          `Upload-Length is over the limit of ${limits.fileSize} bytes`,
        );
      }
    },
    sweep,
    maybeSweep() {
      if (expirationMs <= 0 || now() - lastSweep < sweepIntervalMs) return;
      lastSweep = now();
      void sweep().catch(() => {});
    },
  };
}
