import { createPreview, type Preview, type PreviewOptions } from '@updown/core';
import { useEffect, useState } from 'react';

export interface UsePreviewOptions extends Omit<PreviewOptions, 'signal'> {}

/**
 * A thumbnail of an item's image (or video poster), made with the core's `createPreview`
 * after mount and released (its object URL revoked) when the file or `maxSize` changes or
 * the component unmounts, so a removed row leaves nothing behind. `undefined` until it is
 * ready, on the server, and for files without one.
 *
 * @example
 * ```tsx
 * function Thumb({ item }: { item: UploadItem }) {
 *   const preview = usePreview(item, { maxSize: 96 });
 *   return preview ? <img src={preview.url} width={preview.width} height={preview.height} alt="" /> : null;
 * }
 * ```
 */
export function usePreview(
  item: { readonly file: Blob } | Blob | null | undefined,
  options: UsePreviewOptions = {},
): Preview | undefined {
  const file = item instanceof Blob || !item ? item : item.file;
  const { maxSize, type, quality } = options;
  const [preview, setPreview] = useState<Preview>();
  useEffect(() => {
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
    return () => {
      controller.abort();
      made?.release();
      setPreview(undefined);
    };
  }, [file, maxSize, type, quality]);
  return preview;
}
