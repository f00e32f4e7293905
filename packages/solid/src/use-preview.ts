import { createPreview, type Preview, type PreviewOptions } from '@updown/core';
import { type Accessor, createEffect, createSignal, onCleanup } from 'solid-js';
import { access, type MaybeAccessor } from './access';

export interface UsePreviewOptions extends Omit<PreviewOptions, 'signal'> {}

/**
 * A thumbnail of an item's image (or video poster), made with the core's `createPreview`
 * and released (its object URL revoked) when the file or options change or the owner is
 * cleaned up. `undefined` until it is ready, on the server, and for files without one.
 *
 * @example
 * ```tsx
 * function Thumb(props: { item: UploadItem }) {
 *   const preview = usePreview(() => props.item, { maxSize: 96 });
 *   return <Show when={preview()}>{(p) => <img src={p().url} alt="" />}</Show>;
 * }
 * ```
 */
export function usePreview(
  item: MaybeAccessor<{ readonly file: Blob } | Blob | null | undefined>,
  options: MaybeAccessor<UsePreviewOptions> = {},
): Accessor<Preview | undefined> {
  const [preview, setPreview] = createSignal<Preview>();
  // Effects do not run on the server, so nothing is decoded there.
  createEffect(() => {
    const current = access(item);
    const file = current instanceof Blob || !current ? current : current.file;
    const { maxSize, type, quality } = access(options);
    if (!file) return;
    const controller = new AbortController();
    let made: Preview | null = null;
    void createPreview(file, { maxSize, type, quality, signal: controller.signal }).then((p) => {
      if (controller.signal.aborted) p?.release();
      else if (p) {
        made = p;
        setPreview(p);
      }
    });
    onCleanup(() => {
      controller.abort();
      made?.release();
      setPreview(undefined);
    });
  });
  return preview;
}
