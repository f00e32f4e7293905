import type { UploaderState } from '@updown/core';
import type { ReadableStore } from '@updown/core/bindings';
import { useStoreSelector } from './use-store-selector';

const whole = <S>(state: S): S => state;

/**
 * The whole state of an uploader you created yourself (or share between components).
 * Re-renders on every change; use `useUploadSelector` for a slice.
 *
 * @example
 * ```tsx
 * const uploader = createUploader({ endpoint: '/api/files/upload' });
 *
 * function Progress() {
 *   const { progress, status } = useUploader(uploader);
 *   return <progress max={100} value={progress.percent} aria-label={status} />;
 * }
 * ```
 */
export function useUploader<R>(uploader: ReadableStore<UploaderState<R>>): UploaderState<R> {
  return useStoreSelector(uploader, whole<UploaderState<R>>);
}
