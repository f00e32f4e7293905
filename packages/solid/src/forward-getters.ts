/**
 * Every key of `T`, from a record with one entry per key: the compiler says when `T` gains a
 * key the list lacks, or the list names one `T` does not have.
 */
export function everyKey<T>(
  keys: { readonly [K in keyof T]-?: true },
): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}

/** `T`'s fields `K`, read-only, each one present (an optional one as `| undefined`). */
export type Forwarded<T, K extends keyof T> = {
  readonly [P in K]-?: T[P] | (undefined extends T[P] ? undefined : never);
};

/**
 * Gives `target` one getter per key that reads `read()[key]` when accessed, so Solid tracks
 * each read where it happens (in JSX, in an effect), never once here. The getters are
 * enumerable, so Solid's spread keeps them reactive, and configurable, so a prop defined over
 * one (the user's, in the prop getters) replaces it.
 */
export function forwardGetters<O extends object, T, K extends keyof T>(
  target: O,
  keys: readonly K[],
  read: () => T,
): O & Forwarded<T, K> {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get: () => read()[key],
    });
  }
  return target as O & Forwarded<T, K>;
}
