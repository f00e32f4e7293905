import { createRoot, createSignal } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { describe, expect, it } from 'vitest';
import { createStoreMirror } from './create-store-mirror';

/** A source whose states are replaced, never changed in place, as the core's are. */
function source<S>(initial: S) {
  let state = initial;
  const listeners = new Set<(state: S) => void>();
  return {
    getState: () => state,
    subscribe(listener: (state: S) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: S) {
      state = next;
      for (const listener of listeners) listener(state);
    },
    listening: () => listeners.size,
  };
}

/** The object behind a proxy that counts the listings of its keys: a copy or a walk lists them. */
function watched<T extends object>(value: T): { value: T; walks: () => number } {
  let walks = 0;
  const proxy = new Proxy(value, {
    ownKeys(target) {
      walks++;
      return Reflect.ownKeys(target);
    },
  });
  return { value: proxy, walks: () => walks };
}

function mirrored<S extends object>(from: ReturnType<typeof source<S>>) {
  return createRoot((dispose) => ({ state: createStoreMirror(from), dispose }));
}

interface Item {
  id: string;
  progress: { percent: number };
}

describe('createStoreMirror', () => {
  it('leaves an item the source kept alone when another one moves: not copied, not walked', () => {
    const untouched = watched<Item>({ id: 'a', progress: { percent: 10 } });
    const moving: Item = { id: 'b', progress: { percent: 0 } };
    const from = source({ items: [untouched.value, moving], status: 'uploading' });
    const { state, dispose } = mirrored(from);
    const held = unwrap(state).items[0];
    expect(untouched.walks()).toBeGreaterThan(0);
    const walksBefore = untouched.walks();

    from.set({
      ...from.getState(),
      items: [untouched.value, { ...moving, progress: { percent: 50 } }],
    });

    expect(untouched.walks()).toBe(walksBefore);
    expect(unwrap(state).items[0]).toBe(held);
    expect(state.items[0]?.progress.percent).toBe(10);
    expect(state.items[1]?.progress.percent).toBe(50);
    dispose();
  });

  it('mirrors removals, moves, additions and repeated objects exactly, source untouched', () => {
    const a: Item = { id: 'a', progress: { percent: 1 } };
    const b: Item = { id: 'b', progress: { percent: 2 } };
    const c: Item = { id: 'c', progress: { percent: 3 } };
    const tag = { name: 'x' };
    const from = source({ items: [a, b, c], tags: [tag, tag], count: 3 });
    const { state, dispose } = mirrored(from);
    const snapshots = [structuredClone(from.getState())];
    const states = [from.getState()];
    const step = (next: ReturnType<typeof from.getState>) => {
      from.set(next);
      states.push(next);
      snapshots.push(structuredClone(next));
      expect(unwrap(state)).toEqual(next);
    };

    step({ items: [c, a], tags: [tag, tag], count: 2 });
    const d: Item = { id: 'd', progress: { percent: 4 } };
    step({
      items: [d, c, { ...a, progress: { percent: 9 } }],
      tags: [{ name: 'y' }, tag, tag],
      count: 3,
    });
    step({ items: [d, c], tags: [{ name: 'y' }, tag, { ...tag, name: 'z' }], count: 2 });
    expect(unwrap(state).tags[1]).not.toBe(unwrap(state).tags[2]);
    step({ items: [], tags: [], count: 0 });

    // What the source handed out is never written by the store.
    expect(states).toEqual(snapshots);
    dispose();
  });

  it('follows a source given as an accessor, letting the previous source go', () => {
    const first = source({ status: 'downloading', loaded: 1 });
    const second = source({ status: 'idle', loaded: 0 });
    const [current, setCurrent] = createSignal(first);
    const { state, dispose } = createRoot((dispose) => ({
      state: createStoreMirror(current),
      dispose,
    }));
    first.set({ status: 'downloading', loaded: 2 });
    expect(state.loaded).toBe(2);

    setCurrent(second);
    expect(unwrap(state)).toEqual({ status: 'idle', loaded: 0 });
    expect(first.listening()).toBe(0);
    first.set({ status: 'success', loaded: 3 });
    expect(state.status).toBe('idle');
    second.set({ status: 'downloading', loaded: 5 });
    expect(state.loaded).toBe(5);

    dispose();
    expect(second.listening()).toBe(0);
  });
});
