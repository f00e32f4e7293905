/**
 * A copy of the plain objects and arrays in a value; anything else (a `File`, a class
 * instance) is kept as is. Solid's `reconcile` writes into the objects it holds, and the
 * core's snapshots must stay untouched, so the store is only ever given copies.
 */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = clonePlain(value[key]);
    return copy as T;
  }
  return value;
}

/**
 * What to hand `reconcile` for `next`, when the store (`held`, read through the store's
 * proxy) mirrors `last`: `clonePlain(next)`, except that a part identical (`===`) to its
 * place in `last` is the store's own. `reconcile` unwraps a store proxy in O(1) and skips a
 * value identical to the one it holds, so an update costs the parts that changed (one item's
 * progress), not every field of every item. Array elements are reused only in arrays whose
 * elements all have distinct `id`s (the key `reconcile` is given): there `reconcile` matches
 * each held element to itself, where in other arrays it may merge a new element into a held
 * one that is reused elsewhere. The source's states must be immutable, as the core's are: a
 * part it changed in place, under the same identity, is taken as unchanged.
 */
export function copyChanges<T>(next: T, last: unknown, held: unknown): T {
  if (next === last && isPlain(next) && isPlain(held)) return held as T;
  if (Array.isArray(next)) {
    if (
      !Array.isArray(last) ||
      !Array.isArray(held) ||
      last.length !== held.length ||
      !distinctIds(next) ||
      !distinctIds(last)
    ) {
      return clonePlain(next);
    }
    const indexInLast = new Map<unknown, number>(last.map((item, index) => [item, index]));
    return next.map((item) => {
      const index = indexInLast.get(item);
      return index === undefined ? clonePlain(item) : held[index];
    }) as T;
  }
  if (isPlainObject(next) && isPlainObject(last) && isPlainObject(held)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(next)) copy[key] = copyChanges(next[key], last[key], held[key]);
    return copy as T;
  }
  return clonePlain(next);
}

/** `true` when every element is a plain object with an `id`, no two the same. */
function distinctIds(items: readonly unknown[]): boolean {
  const ids = new Set<unknown>();
  for (const item of items) {
    const id = isPlainObject(item) ? item.id : undefined;
    if (id === undefined || id === null || ids.has(id)) return false;
    ids.add(id);
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPlain(value: unknown): value is object {
  return Array.isArray(value) || isPlainObject(value);
}
