import { describe, expect, it, vi } from 'vitest';
import { UploadHttpError } from '../transport/upload-http-error';
import { type RetryPolicy, retryDelay, retrying, sleep } from './retry';
import { fakeScheduler } from './test-support/fake-scheduler';

const flush = async (rounds = 10) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};

const policy: RetryPolicy = {
  attempts: 3,
  delay: (failure) => failure * 100,
  retryable: (error) => error instanceof TypeError,
};

describe('retryDelay', () => {
  it('waits by the policy while tries are left and the error may pass', () => {
    expect(retryDelay(policy, 1, new TypeError('x'))).toBe(100);
    expect(retryDelay(policy, 2, new TypeError('x'))).toBe(200);
    expect(retryDelay(policy, 3, new TypeError('x'))).toBeNull();
    expect(retryDelay(policy, 1, new Error('for good'))).toBeNull();
    expect(retryDelay({ ...policy, delay: () => -5 }, 1, new TypeError('x'))).toBe(0);
  });
});

describe('sleep', () => {
  it('resolves on the scheduler clock and rejects with an AbortError at once on abort', async () => {
    const clock = fakeScheduler();
    const controller = new AbortController();
    const done = vi.fn();
    void sleep(500, controller.signal, clock.scheduler).then(done);
    clock.advance(499);
    await flush();
    expect(done).not.toHaveBeenCalled();
    clock.advance(1);
    await flush();
    expect(done).toHaveBeenCalledOnce();

    const waiting = sleep(500, controller.signal, clock.scheduler);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pending()).toBe(0);
    await expect(sleep(1, controller.signal, clock.scheduler)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('retrying', () => {
  it('tries `attempts` times in all, waiting by the policy between, then rejects with the last error', async () => {
    const clock = fakeScheduler();
    const seen: number[] = [];
    const run = retrying(
      async (attempt) => {
        seen.push(attempt);
        throw new TypeError(`try ${attempt}`);
      },
      { policy, signal: new AbortController().signal, scheduler: clock.scheduler },
    );
    const failed = expect(run).rejects.toThrow('try 3');
    expect(seen).toEqual([1]); // the first try starts at once
    await flush();
    clock.advance(99);
    await flush();
    expect(seen).toEqual([1]);
    clock.advance(1);
    await flush();
    expect(seen).toEqual([1, 2]);
    clock.advance(200);
    await flush();
    expect(seen).toEqual([1, 2, 3]);
    await failed;
    expect(clock.pending()).toBe(0);
  });

  it('resolves with the first success', async () => {
    const clock = fakeScheduler();
    let calls = 0;
    const run = retrying(
      async () => {
        calls++;
        if (calls < 2) throw new TypeError('once');
        return 'ok';
      },
      { policy, signal: new AbortController().signal, scheduler: clock.scheduler },
    );
    await flush();
    clock.advance(100);
    await expect(run).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('never retries an error the policy refuses, nor an abort', async () => {
    const signal = new AbortController().signal;
    let calls = 0;
    const refused = retrying(
      async () => {
        calls++;
        throw new UploadHttpError(413, 'file-too-large', 'no');
      },
      { policy: { ...policy, retryable: () => true, attempts: 1 }, signal },
    );
    await expect(refused).rejects.toMatchObject({ status: 413 });
    expect(calls).toBe(1);
    const aborted = retrying(
      async () => {
        calls++;
        throw new DOMException('gone', 'AbortError');
      },
      { policy: { ...policy, retryable: () => true }, signal },
    );
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(2);
  });

  it('stops the wait when the signal aborts', async () => {
    const clock = fakeScheduler();
    const controller = new AbortController();
    let calls = 0;
    const run = retrying(
      async () => {
        calls++;
        throw new TypeError('down');
      },
      { policy, signal: controller.signal, scheduler: clock.scheduler },
    );
    await flush();
    expect(clock.pending()).toBe(1);
    controller.abort('pause');
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    clock.advance(10_000);
    expect(calls).toBe(1);
  });

  it('counts failures from zero after a try that got somewhere, and reads a policy function at each failure', async () => {
    const clock = fakeScheduler();
    let calls = 0;
    const policyReads = vi.fn(() => ({ ...policy, attempts: 2, delay: () => 0 }));
    const run = retrying(
      async () => {
        calls++;
        throw new TypeError('flaky');
      },
      {
        policy: policyReads,
        signal: new AbortController().signal,
        scheduler: clock.scheduler,
        // Tries 1 to 3 moved bytes; the fourth did not.
        progressed: () => calls <= 3,
      },
    );
    for (let i = 0; i < 6; i++) {
      await flush();
      clock.advance(0);
    }
    await expect(run).rejects.toThrow('flaky');
    // Each of the first three restarts the count (so the third is failure one); the fourth
    // is the second in a row, and the last of `attempts: 2`.
    expect(calls).toBe(4);
    expect(policyReads).toHaveBeenCalledTimes(4);
  });
});
