import type { ReadableStore } from '@updown/core/bindings';
import {
  useCallback,
  useDebugValue,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
} from 'react';

export interface UseSelectorOptions<T> {
  /**
   * When a new selection counts as the same one, so the component does not re-render. Use
   * `shallowEqual` for a selector that builds an array or object. Defaults to `Object.is`.
   */
  equal?: (a: T, b: T) => boolean;
}

const whole = <S>(state: S): S => state;

/**
 * The state of any `{ getState, subscribe }` source (an uploader, a downloader, a store of
 * your own), or the slice `selector` picks of it. The component re-renders only when the
 * selection changes (by `equal`), so a row that selects its own item is left alone while
 * other items make progress. Without a selector, the whole state, new on every change.
 *
 * The selector runs once per new state, and a new selector function (an inline arrow is new
 * on each render) that selects an equal value keeps the previous one, in the spirit of
 * React's `use-sync-external-store/with-selector`, which React itself does not export.
 *
 * @example
 * ```tsx
 * const uploader = createUploader({ endpoint: '/api/files/upload' });
 *
 * function Row({ id }: { id: string }) {
 *   const item = useSelector(uploader, (s) => s.items.find((i) => i.id === id));
 *   return item ? <li>{item.name} {item.progress.percent}%</li> : null;
 * }
 *
 * function Rows() {
 *   const ids = useSelector(uploader, (s) => s.items.map((i) => i.id), { equal: shallowEqual });
 *   return <ul>{ids.map((id) => <Row key={id} id={id} />)}</ul>;
 * }
 *
 * function Badge() {
 *   const { status, progress } = useSelector(uploader);
 *   return <progress max={100} value={progress.percent} aria-label={status} />;
 * }
 * ```
 */
export function useSelector<S, T = S>(
  source: ReadableStore<S>,
  selector: (state: S) => T = whole as (state: S) => T,
  options: UseSelectorOptions<T> = {},
): T {
  const { equal = Object.is } = options;
  const committed = useRef<{ value: T } | null>(null);

  const subscribe = useCallback(
    (onChange: () => void) => source.subscribe(() => onChange()),
    [source],
  );

  const getSelection = useMemo(() => {
    let memo: { snapshot: S; selection: T } | null = null;
    return (): T => {
      const snapshot = source.getState();
      if (memo !== null && Object.is(memo.snapshot, snapshot)) return memo.selection;
      const next = selector(snapshot);
      // Compare against what this memo last returned, or what was last committed, so a new
      // selector function still keeps an equal value.
      const previous = memo ?? (committed.current ? { selection: committed.current.value } : null);
      const selection =
        previous !== null && equal(previous.selection, next) ? previous.selection : next;
      memo = { snapshot, selection };
      return selection;
    };
  }, [source, selector, equal]);

  const value = useSyncExternalStore(subscribe, getSelection, getSelection);

  useEffect(() => {
    committed.current = { value };
  }, [value]);

  useDebugValue(value);
  return value;
}
