import type { ReadableStore } from '@updown/core/bindings';
import {
  useCallback,
  useDebugValue,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
} from 'react';

export type EqualityFn<T> = (a: T, b: T) => boolean;

/**
 * `useSyncExternalStore` with a selector, in the spirit of React's
 * `use-sync-external-store/with-selector` (which React itself does not export): the selector
 * runs once per new snapshot, and an equal result keeps the previous value, so the
 * component does not re-render.
 */
export function useStoreSelector<S, T>(
  store: ReadableStore<S>,
  selector: (state: S) => T,
  isEqual: EqualityFn<T> = Object.is,
): T {
  const committed = useRef<{ value: T } | null>(null);

  const subscribe = useCallback(
    (onChange: () => void) => store.subscribe(() => onChange()),
    [store],
  );

  const getSelection = useMemo(() => {
    let memo: { snapshot: S; selection: T } | null = null;
    return (): T => {
      const snapshot = store.getState();
      if (memo !== null && Object.is(memo.snapshot, snapshot)) return memo.selection;
      const next = selector(snapshot);
      // Compare against what this memo last returned, or what was last committed, so a new
      // selector function (inline arrows are new each render) still keeps an equal value.
      const previous = memo ?? (committed.current ? { selection: committed.current.value } : null);
      const selection =
        previous !== null && isEqual(previous.selection, next) ? previous.selection : next;
      memo = { snapshot, selection };
      return selection;
    };
  }, [store, selector, isEqual]);

  const value = useSyncExternalStore(subscribe, getSelection, getSelection);

  useEffect(() => {
    committed.current = { value };
  }, [value]);

  useDebugValue(value);
  return value;
}
