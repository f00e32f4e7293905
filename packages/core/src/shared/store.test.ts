import { describe, expect, it, vi } from 'vitest';
import { createStore } from './store';
import { fakeScheduler } from './test-support/fake-scheduler';

function counterStore(interval = 16) {
  const clock = fakeScheduler();
  let value = 0;
  const store = createStore({
    compute: () => ({ value }),
    notifyIntervalMs: interval,
    scheduler: clock.scheduler,
  });
  const set = (v: number) => {
    value = v;
    store.invalidate();
  };
  return { clock, store, set };
}

describe('createStore', () => {
  it('returns the same object until something changes', () => {
    const { store, set } = counterStore();
    const a = store.getState();
    expect(store.getState()).toBe(a);
    set(1);
    const b = store.getState();
    expect(b).not.toBe(a);
    expect(b).toEqual({ value: 1 });
    expect(store.getState()).toBe(b);
  });

  it('computes lazily: many changes between reads cost one build', () => {
    const clock = fakeScheduler();
    const compute = vi.fn(() => ({}));
    const store = createStore({ compute, scheduler: clock.scheduler });
    compute.mockClear();
    for (let i = 0; i < 100; i++) store.invalidate();
    expect(compute).not.toHaveBeenCalled();
    store.getState();
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('tells the first change on the next tick, then at most once per interval, and always the last', () => {
    const { clock, store, set } = counterStore(16);
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.value));
    set(1);
    expect(seen).toEqual([]);
    clock.advance(0);
    expect(seen).toEqual([1]);
    for (let v = 2; v <= 50; v++) {
      set(v);
      clock.advance(1);
    }
    // 49 changes over 49 ms: at most ceil(49 / 16) + 1 more notifications.
    expect(seen.length).toBeLessThanOrEqual(1 + 4);
    clock.advance(16);
    expect(seen.at(-1)).toBe(50);
    expect(clock.pending()).toBe(0);
    const count = seen.length;
    clock.advance(1000);
    expect(seen.length).toBe(count);
  });

  it('delivers the final state even when the last change falls inside the interval', () => {
    const { clock, store, set } = counterStore(100);
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.value));
    set(1);
    clock.advance(0);
    set(2);
    set(3);
    expect(seen).toEqual([1]);
    clock.advance(99);
    expect(seen).toEqual([1]);
    clock.advance(1);
    expect(seen).toEqual([1, 3]);
  });

  it('unsubscribe stops notifications; other listeners go on', () => {
    const { clock, store, set } = counterStore(0);
    const a = vi.fn();
    const b = vi.fn();
    const offA = store.subscribe(a);
    store.subscribe(b);
    set(1);
    clock.advance(0);
    offA();
    set(2);
    clock.advance(10);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('batch tells listeners once, after it', () => {
    const { store, set, clock } = counterStore(0);
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.value));
    store.batch(() => {
      set(1);
      set(2);
      store.batch(() => set(3));
      expect(seen).toEqual([]);
    });
    clock.advance(0);
    expect(seen).toEqual([3]);
  });

  it('flush tells a waiting change now', () => {
    const { store, set, clock } = counterStore(1000);
    const seen: number[] = [];
    store.subscribe((s) => seen.push(s.value));
    set(1);
    clock.advance(0);
    set(2);
    store.flush();
    expect(seen).toEqual([1, 2]);
    expect(clock.pending()).toBe(0);
  });

  it('a throwing listener does not stop the others', async () => {
    const { store, set, clock } = counterStore(0);
    const other = vi.fn();
    const errors: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (fn) =>
      original(() => {
        try {
          fn();
        } catch (e) {
          errors.push(e);
        }
      });
    try {
      store.subscribe(() => {
        throw new Error('boom');
      });
      store.subscribe(other);
      set(1);
      clock.advance(0);
      await Promise.resolve();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(other).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
  });

  it('destroy forgets listeners and the pending timer', () => {
    const { store, set, clock } = counterStore(100);
    const listener = vi.fn();
    store.subscribe(listener);
    set(1);
    clock.advance(0);
    set(2);
    store.destroy();
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
