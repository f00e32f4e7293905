/**
 * A copy of the plain objects and arrays in a value; anything else (a `File`, a class
 * instance) is kept as is. Solid's `reconcile` writes into the objects it holds, and the
 * core's snapshots must stay untouched, so the store is only ever given copies.
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      copy[key] = clonePlain((value as Record<string, unknown>)[key]);
    return copy as T;
  }
  return value;
}
