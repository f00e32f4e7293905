import { HandlerError } from '../handler/errors';
import type { ResolvedLimits } from '../handler/limits';

/** The clock of one upload request: its whole duration, and its rate window by window. */
export interface UploadPace {
  /** Counts bytes that arrived. */
  add(bytes: number): void;
  /** The current window is ours (the storage was behind): it is not held against the client. */
  hold(): void;
  /** Stops both clocks for good. */
  stop(): void;
}

/** How late (in windows) a window's tick may come before the window says nothing. */
const LATE_TICK = 1.5;

/**
 * Watches an upload against `maxDurationMs` and `minBytesPerSecond` (measured over each
 * `rateWindowMs`), and calls `onTooSlow` once with the 408 to answer. A client that trickles
 * a byte now and then keeps the idle timer alive forever; this does not. `0` turns a limit
 * off.
 */
export function uploadPace(
  limits: Pick<ResolvedLimits, 'minBytesPerSecond' | 'rateWindowMs' | 'maxDurationMs'>,
  onTooSlow: (error: HandlerError) => void,
  now: () => number = () => performance.now(),
): UploadPace {
  const { minBytesPerSecond, rateWindowMs, maxDurationMs } = limits;
  let inWindow = 0;
  let held = false;
  let done = false;
  const give = (error: HandlerError) => {
    if (done) return;
    stop();
    onTooSlow(error);
  };
  const deadline =
    maxDurationMs > 0
      ? setTimeout(
          () =>
            give(
              new HandlerError(
                'request-timeout',
                `The upload took longer than ${maxDurationMs} ms`,
              ),
            ),
          maxDurationMs,
        )
      : undefined;
  let windowStart = now();
  const window =
    minBytesPerSecond > 0 && rateWindowMs > 0
      ? setInterval(() => {
          const at = now();
          const elapsed = at - windowStart;
          windowStart = at;
          // A tick this late means this process stalled (CPU, a long collection), and what
          // the client sent meanwhile may still wait unread in the socket: timers run before
          // reads. The window is the server's, so it is not held against the client.
          const late = elapsed > rateWindowMs * LATE_TICK;
          const slow = !held && !late && inWindow < (minBytesPerSecond * elapsed) / 1000;
          inWindow = 0;
          held = false;
          if (slow) {
            give(
              new HandlerError(
                'request-timeout',
                `The upload was slower than ${minBytesPerSecond} bytes per second`,
              ),
            );
          }
        }, rateWindowMs)
      : undefined;
  function stop(): void {
    done = true;
    clearTimeout(deadline);
    clearInterval(window);
  }
  return {
    add(bytes) {
      inWindow += bytes;
    },
    hold() {
      held = true;
    },
    stop,
  };
}
