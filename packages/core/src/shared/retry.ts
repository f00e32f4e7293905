import { abortError, isAbortError } from './abort';
import { type Scheduler, scheduleTimeout } from './scheduler';

/** When a failed try is tried again, and after how long. */
export interface RetryPolicy {
  /** Total tries, the first one included; `1` never retries. */
  readonly attempts: number;
  /** The wait in ms after the `failure`-th failed try (counted from 1). */
  readonly delay: (failure: number) => number;
  /** Whether an error may pass on a later try. */
  readonly retryable: (error: unknown) => boolean;
}

/** The wait before the next try after `failures` failed tries, the last ending in `error`; `null` to give up. */
export function retryDelay(policy: RetryPolicy, failures: number, error: unknown): number | null {
  if (failures >= policy.attempts || !policy.retryable(error)) return null;
  return Math.max(0, policy.delay(failures));
}

/**
 * Resolves after `ms` on the scheduler's clock (`setTimeout` when none is given); rejects with
 * an `AbortError` as soon as `signal` aborts.
 */
export function sleep(ms: number, signal: AbortSignal, scheduler?: Scheduler): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => {
      cancel();
      reject(abortError());
    };
    const wake = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    // Not `defaultScheduler`: its clock would come into bundles that only wait.
    const cancel = scheduler ? scheduler.schedule(wake, ms) : scheduleTimeout(wake, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryingOptions {
  /**
   * Read after each failure, so a policy that follows changing options stays current. An
   * abort (of `signal`, or an `AbortError` from the step) is never retried.
   */
  readonly policy: RetryPolicy | (() => RetryPolicy);
  /** Stops the waits; an aborted run rejects with the step's error or an `AbortError`. */
  readonly signal: AbortSignal;
  /** Clock of the waits. Defaults to `setTimeout` (as `defaultScheduler`). */
  readonly scheduler?: Scheduler;
  /** Called on each failure before it counts: `true` when the try got somewhere, so the count starts again. */
  readonly progressed?: (error: unknown) => boolean;
}

/**
 * Runs `step` until it resolves, or the policy gives up on its error (then rejects with it).
 * The first try starts synchronously; each later one after the policy's wait.
 */
export async function retrying<T>(
  step: (attempt: number) => Promise<T>,
  options: RetryingOptions,
): Promise<T> {
  const { signal } = options;
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) throw error;
      if (options.progressed?.(error)) failures = 0;
      failures++;
      const policy = typeof options.policy === 'function' ? options.policy() : options.policy;
      const wait = retryDelay(policy, failures, error);
      if (wait === null) throw error;
      await sleep(wait, signal, options.scheduler);
    }
  }
}
