/** Time as the store sees it; injected so tests can move the clock themselves. */
export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  schedule(fn: () => void, delayMs: number): () => void;
}

/** `setTimeout`, cancellable: `defaultScheduler.schedule`, alone for code that needs no clock. */
export function scheduleTimeout(fn: () => void, delayMs: number): () => void {
  const handle = setTimeout(fn, delayMs);
  return () => clearTimeout(handle);
}

/** `performance.now` and `setTimeout`, looked up when called (never at import time). */
export const defaultScheduler: Scheduler = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  schedule: scheduleTimeout,
};
