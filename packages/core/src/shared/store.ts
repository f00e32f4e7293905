import { defaultScheduler, type Scheduler } from './scheduler';

export interface StoreOptions<S> {
  /**
   * Builds the state. Called only when the state is read (or listeners are told) after an
   * `invalidate()`, so many changes between two reads cost one build.
   */
  compute: () => S;
  /** Listeners are told at most once per this many ms; the last change is always told. Defaults to `16`. */
  notifyIntervalMs?: number;
  /** Defaults to `defaultScheduler`. */
  scheduler?: Scheduler;
}

export interface Store<S> {
  /** The same object until something changes. */
  getState(): S;
  /** Returns the unsubscribe function. */
  subscribe(listener: (state: S) => void): () => void;
  /** Something changed: the state is rebuilt on the next read, listeners told soon. */
  invalidate(): void;
  /** Runs `fn`, telling listeners at most once, after it. */
  batch<T>(fn: () => T): T;
  /** Tells listeners now if a change is waiting. */
  flush(): void;
  setNotifyInterval(ms: number): void;
  /** Forgets every listener and cancels the pending notification. */
  destroy(): void;
}

/**
 * A tiny observable store with throttled notifications: the first change after a quiet
 * period is told on the next turn of the event loop, later ones at most once per interval,
 * and the last one always.
 */
export function createStore<S>(options: StoreOptions<S>): Store<S> {
  const scheduler = options.scheduler ?? defaultScheduler;
  let interval = Math.max(0, options.notifyIntervalMs ?? 16);
  const listeners = new Set<(state: S) => void>();
  let state: S = options.compute();
  let dirty = false;
  let lastTold: S = state;
  let lastToldAt = Number.NEGATIVE_INFINITY;
  let cancelTimer: (() => void) | null = null;
  let batchDepth = 0;
  let pendingInBatch = false;

  function getState(): S {
    if (dirty) {
      dirty = false;
      state = options.compute();
    }
    return state;
  }

  function notify(): void {
    cancelTimer = null;
    lastToldAt = scheduler.now();
    const current = getState();
    if (current === lastTold) return;
    lastTold = current;
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch (error) {
        // One failing listener must not starve the others, nor break the caller (often a
        // transport's progress callback); the error still surfaces.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function requestNotify(): void {
    if (cancelTimer || listeners.size === 0) return;
    // Never told synchronously: the change may come from a transport's progress callback,
    // which should not run listeners (and their O(items) reads) inside itself.
    const wait = Math.max(0, lastToldAt + interval - scheduler.now());
    cancelTimer = scheduler.schedule(notify, wait);
  }

  function invalidate(): void {
    dirty = true;
    if (batchDepth > 0) pendingInBatch = true;
    else requestNotify();
  }

  return {
    getState,
    subscribe(listener) {
      const wrapped = (s: S) => listener(s);
      listeners.add(wrapped);
      // A new listener has seen nothing yet; what it reads now is what it was told.
      if (!dirty && !cancelTimer) lastTold = state;
      return () => {
        listeners.delete(wrapped);
      };
    },
    invalidate,
    batch(fn) {
      batchDepth++;
      try {
        return fn();
      } finally {
        batchDepth--;
        if (batchDepth === 0 && pendingInBatch) {
          pendingInBatch = false;
          requestNotify();
        }
      }
    },
    flush() {
      if (cancelTimer) {
        cancelTimer();
        notify();
      } else if (dirty && listeners.size > 0) notify();
    },
    setNotifyInterval(ms) {
      interval = Math.max(0, ms);
    },
    destroy() {
      cancelTimer?.();
      cancelTimer = null;
      listeners.clear();
    },
  };
}
