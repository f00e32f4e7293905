import { describe, expect, it } from 'vitest';
import { createLockTable } from './tus-lock';

describe('createLockTable', () => {
  it('grants one holder per id, then the waiters in arrival order', async () => {
    const locks = createLockTable();
    const order: string[] = [];
    const first = await locks.acquire('a', 1000);
    expect(first).not.toBeNull();
    const second = locks.acquire('a', 1000).then((release) => {
      order.push('second');
      return release;
    });
    const third = locks.acquire('a', 1000).then((release) => {
      order.push('third');
      release?.();
    });
    // Another id is independent.
    const other = await locks.acquire('b', 10);
    expect(other).not.toBeNull();
    other!();
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    first!();
    (await second)!();
    await third;
    expect(order).toEqual(['second', 'third']);
    expect(locks.isHeld('a')).toBe(false);
  });

  it('gives up with null after the timeout, and a late release still frees the id', async () => {
    const locks = createLockTable();
    const held = await locks.acquire('a', 1000);
    expect(await locks.acquire('a', 30)).toBeNull();
    held!();
    held!();
    expect(locks.isHeld('a')).toBe(false);
    expect(await locks.acquire('a', 30)).not.toBeNull();
  });
});
