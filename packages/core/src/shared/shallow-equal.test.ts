import { describe, expect, it } from 'vitest';
import { shallowEqual } from './shallow-equal';

describe('shallowEqual', () => {
  it('is true for the same value, NaN included', () => {
    const object = { a: 1 };
    expect(shallowEqual(object, object)).toBe(true);
    expect(shallowEqual(Number.NaN, Number.NaN)).toBe(true);
  });

  it('compares the top-level values of objects and arrays', () => {
    const inner = { x: 1 };
    expect(shallowEqual({ a: 1, b: inner }, { a: 1, b: inner })).toBe(true);
    expect(shallowEqual({ a: 1, b: { x: 1 } }, { a: 1, b: { x: 1 } })).toBe(false);
    expect(shallowEqual([1, inner], [1, inner])).toBe(true);
    expect(shallowEqual([1, 2], [1, 2, 3])).toBe(false);
  });

  it('tells an absent key from an undefined one', () => {
    expect(shallowEqual<object>({ a: undefined }, { b: undefined })).toBe(false);
  });

  it('tells an array from an object with the same keys', () => {
    expect(shallowEqual<object>(['x'], { 0: 'x' })).toBe(false);
  });

  it('is false between a primitive and an object, and between different primitives', () => {
    expect(shallowEqual<unknown>(1, { a: 1 })).toBe(false);
    expect(shallowEqual<unknown>(null, {})).toBe(false);
    expect(shallowEqual(1, 2)).toBe(false);
  });
});
