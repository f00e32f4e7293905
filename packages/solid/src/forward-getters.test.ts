import { createEffect, createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { everyKey, forwardGetters } from './forward-getters';

describe('forwardGetters', () => {
  it('reads each field when accessed, so a computation tracks only the fields it reads', async () => {
    const [state, setState] = createSignal({ a: 1, b: 1 });
    const [runs, dispose] = createRoot((dispose) => {
      const target = forwardGetters({ kept: true }, ['a', 'b'] as const, state);
      const runs: number[] = [];
      createEffect(() => runs.push(target.a));
      expect(target.kept).toBe(true);
      expect(Object.keys(target)).toEqual(['kept', 'a', 'b']);
      return [runs, dispose] as const;
    });
    await Promise.resolve();
    setState({ a: 2, b: 1 });
    expect(runs).toEqual([1, 2]);
    dispose();
  });

  it('lets a later definition replace a forwarded field', () => {
    const target = forwardGetters({}, ['a'] as const, () => ({ a: 1 }));
    Object.defineProperty(target, 'a', { value: 9, enumerable: true });
    expect(target.a).toBe(9);
  });
});

describe('everyKey', () => {
  it("lists the record's keys, which the compiler holds to the type's", () => {
    interface Shape {
      a: number;
      b?: string;
    }
    expect(everyKey<Shape>({ a: true, b: true })).toEqual(['a', 'b']);
    // @ts-expect-error: `b` is missing
    everyKey<Shape>({ a: true });
    // @ts-expect-error: `c` is not a key of Shape
    everyKey<Shape>({ a: true, b: true, c: true });
  });
});
