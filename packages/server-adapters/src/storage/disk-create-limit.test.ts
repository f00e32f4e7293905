import { describe, expect, it } from 'vitest';
import { createLimit } from './disk-create-limit';

describe('createLimit', () => {
  it('runs at most `limit` tasks at once, the rest in the order they came', async () => {
    const limit = createLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(i);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => limit(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it('a task that fails, or throws before its promise, frees its place', async () => {
    const limit = createLimit(1);
    const failed = limit(() => Promise.reject(new Error('no')));
    const threw = limit(() => {
      throw new Error('at once');
    });
    const next = limit(async () => 'ran');
    await expect(failed).rejects.toThrow('no');
    await expect(threw).rejects.toThrow('at once');
    await expect(next).resolves.toBe('ran');
  });
});
