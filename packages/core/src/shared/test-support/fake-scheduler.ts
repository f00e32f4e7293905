import type { Scheduler } from '../scheduler';

/** A clock that moves only when the test says so; timers due by then run in order. Test helper only. */
export function fakeScheduler() {
  let time = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const scheduler: Scheduler = {
    now: () => time,
    schedule(fn, delayMs) {
      const id = nextId++;
      timers.push({ at: time + Math.max(0, delayMs), fn, id });
      return () => {
        timers = timers.filter((t) => t.id !== id);
      };
    },
  };
  return {
    scheduler,
    now: () => time,
    pending: () => timers.length,
    /** Moves the clock by `ms`, running each timer due on the way at its own time. */
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        time = due.at;
        due.fn();
      }
      time = end;
    },
  };
}
