/** A countdown restarted by every sign of life, which calls `onIdle` when none comes in time. */
export interface IdleTimer {
  /** Restarts the countdown (and starts it again after `hold`). */
  touch(): void;
  /** Stops the countdown until the next `touch`: the wait is ours, not the client's. */
  hold(): void;
  /** Stops it for good. */
  stop(): void;
}

export function idleTimer(ms: number, onIdle: () => void): IdleTimer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    touch() {
      if (stopped) return;
      // A running timer restarts in place; a cleared one cannot (refresh does nothing after
      // clearTimeout), so hold forgets it and touch makes a new one.
      if (timer) timer.refresh();
      else timer = setTimeout(onIdle, ms);
    },
    hold() {
      clearTimeout(timer);
      timer = undefined;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
