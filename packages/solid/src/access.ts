import type { Accessor } from 'solid-js';

/** Options as a value, or as an accessor so they can follow signals (Solid's habit). */
export type MaybeAccessor<T> = T | Accessor<T>;

export function access<T>(value: MaybeAccessor<T>): T {
  return typeof value === 'function' ? (value as Accessor<T>)() : value;
}
