import { describe, expect, it } from 'vitest';
import { createUploadQueue, DEFAULT_CONCURRENCY, slotLimit } from './queue';

describe('slotLimit', () => {
  it('defaults to 3 and never goes below one', () => {
    expect(DEFAULT_CONCURRENCY).toBe(3);
    expect(slotLimit(undefined)).toBe(3);
    expect(slotLimit(5)).toBe(5);
    expect(slotLimit(0)).toBe(1);
    expect(slotLimit(-2)).toBe(1);
  });
});

describe('createUploadQueue', () => {
  it('starts waiting keys in order, no more than the limit', () => {
    const queue = createUploadQueue<string>();
    for (const key of ['a', 'b', 'c', 'd']) queue.enqueue(key);
    const started: string[] = [];
    queue.fill(
      2,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b']);
    expect(queue.inUse).toBe(2);
    queue.fill(
      2,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b']);
    queue.release('a');
    queue.release('a'); // releasing twice frees one slot, once
    queue.fill(
      2,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b', 'c']);
    expect(queue.inUse).toBe(2);
  });

  it('keeps a waiting key in its place when enqueued again', () => {
    const queue = createUploadQueue<string>();
    queue.enqueue('a');
    queue.enqueue('b');
    queue.enqueue('a');
    const started: string[] = [];
    queue.fill(
      10,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b']);
  });

  it('drops keys that are no longer startable, without spending a slot', () => {
    const queue = createUploadQueue<string>();
    for (const key of ['gone', 'a', 'also-gone', 'b']) queue.enqueue(key);
    const started: string[] = [];
    queue.fill(
      2,
      (key) => !key.includes('gone'),
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b']);
    // A dropped key may wait again later.
    queue.enqueue('gone');
    queue.release('a');
    queue.fill(
      2,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(['a', 'b', 'gone']);
  });

  it('catches up a slot freed during start in the same loop, without recursing', () => {
    const queue = createUploadQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.enqueue(i);
    const started: number[] = [];
    const start = (key: number) => {
      started.push(key);
      // Fails at once: frees its slot and asks for more, as the uploader does.
      queue.release(key);
      queue.fill(1, () => true, start);
    };
    queue.fill(1, () => true, start);
    expect(started).toHaveLength(10_000);
    expect(started.slice(0, 3)).toEqual([0, 1, 2]);
    expect(queue.inUse).toBe(0);
  });

  it('keeps the order across the trimming of a long line', () => {
    const queue = createUploadQueue<number>();
    for (let i = 0; i < 5000; i++) queue.enqueue(i);
    const started: number[] = [];
    queue.fill(
      3000,
      () => true,
      (key) => started.push(key),
    );
    for (let i = 5000; i < 5010; i++) queue.enqueue(i);
    for (let i = 0; i < 3000; i++) queue.release(i);
    queue.fill(
      3000,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual(Array.from({ length: 5010 }, (_, i) => i));
  });

  it('clear forgets the waiting keys, not the held slots', () => {
    const queue = createUploadQueue<string>();
    for (const key of ['a', 'b', 'c']) queue.enqueue(key);
    queue.fill(
      1,
      () => true,
      () => {},
    );
    queue.clear();
    const started: string[] = [];
    queue.fill(
      5,
      () => true,
      (key) => started.push(key),
    );
    expect(started).toEqual([]);
    expect(queue.inUse).toBe(1);
  });
});
