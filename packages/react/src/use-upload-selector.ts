import type { UploaderState } from '@updown/core';
import type { ReadableStore } from '@updown/core/bindings';
import { type EqualityFn, useStoreSelector } from './use-store-selector';

/**
 * A slice of an uploader's state. The component re-renders only when the slice changes
 * (by `isEqual`, `Object.is` by default), so a row that selects its own item is left alone
 * while other items make progress.
 *
 * @example
 * ```tsx
 * function Row({ uploader, id }: { uploader: Uploader; id: string }) {
 *   const item = useUploadSelector(uploader, (s) => s.items.find((i) => i.id === id));
 *   if (!item) return null;
 *   return <li>{item.name} {item.progress.percent}%</li>;
 * }
 * ```
 */
export function useUploadSelector<R, T>(
  uploader: ReadableStore<UploaderState<R>>,
  selector: (state: UploaderState<R>) => T,
  isEqual?: EqualityFn<T>,
): T {
  return useStoreSelector(uploader, selector, isEqual);
}
