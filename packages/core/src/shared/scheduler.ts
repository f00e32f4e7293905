/** Time as the store sees it; injected so tests can move the clock themselves. */
export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  schedule(fn: () => void, delayMs: number): () => void;
}

/** `performance.now` and `setTimeout`, looked up when called (never at import time). */
export const defaultScheduler: Scheduler = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  schedule(fn, delayMs) {
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  },
};
