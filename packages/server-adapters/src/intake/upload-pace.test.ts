import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HandlerError } from '../handler/errors';
import { uploadPace } from './upload-pace';

// The pace clock with fake timers and a clock of its own: a stalled process is a clock that
// jumps while the timers advance one window.

let clock = 0;
const now = () => clock;
/** One window's timer, the clock moving `clockMs` meanwhile (more than the window: a stall). */
function tick(windowMs: number, clockMs = windowMs) {
  clock += clockMs;
  vi.advanceTimersByTime(windowMs);
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
});
afterEach(() => vi.useRealTimers());

function watch(limits: { minBytesPerSecond: number; rateWindowMs: number; maxDurationMs: number }) {
  const errors: HandlerError[] = [];
  const pace = uploadPace(limits, (error) => errors.push(error), now);
  return { pace, errors };
}

describe('uploadPace', () => {
  const limits = { minBytesPerSecond: 1_000, rateWindowMs: 500, maxDurationMs: 0 };

  it('answers a window below the minimum with one 408 request-timeout', () => {
    const { pace, errors } = watch(limits);
    pace.add(499);
    tick(500);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['request-timeout', 'The upload was slower than 1000 bytes per second'],
    ]);
    tick(500);
    expect(errors).toHaveLength(1);
  });

  it('keeps an upload at the minimum, window after window', () => {
    const { pace, errors } = watch(limits);
    for (let i = 0; i < 10; i++) {
      pace.add(500);
      tick(500);
    }
    expect(errors).toEqual([]);
    pace.stop();
  });

  it('says nothing of a window whose tick came late (the server stalled), and judges the next', () => {
    const { pace, errors } = watch(limits);
    pace.add(10);
    tick(500, 2_000);
    expect(errors).toEqual([]);
    pace.add(10);
    tick(500);
    expect(errors).toHaveLength(1);
  });

  it('holds a tick a little late to the bytes of the time that really passed', () => {
    const { pace, errors } = watch(limits);
    // 700 ms passed: 700 bytes are needed, not the window's 500.
    pace.add(600);
    tick(500, 700);
    expect(errors).toHaveLength(1);
  });

  it('does not hold against the client a window the storage was behind in', () => {
    const { pace, errors } = watch(limits);
    pace.hold();
    tick(500);
    expect(errors).toEqual([]);
    tick(500);
    expect(errors).toHaveLength(1);
  });

  it('ends an upload past maxDurationMs however good its pace, and stop() ends both clocks', () => {
    const long = watch({ ...limits, maxDurationMs: 1_200 });
    for (let i = 0; i < 3; i++) {
      long.pace.add(5_000);
      tick(500);
    }
    expect(long.errors.map((e) => e.message)).toEqual(['The upload took longer than 1200 ms']);
    const stopped = watch({ ...limits, maxDurationMs: 1_200 });
    stopped.pace.stop();
    tick(500);
    tick(1_000);
    expect(stopped.errors).toEqual([]);
  });

  it('0 turns each limit off', () => {
    const { errors } = watch({ minBytesPerSecond: 0, rateWindowMs: 500, maxDurationMs: 0 });
    tick(10_000);
    expect(errors).toEqual([]);
  });
});
