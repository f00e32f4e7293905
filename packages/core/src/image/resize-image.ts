import { extensionForMime } from '../shared/mime-extension';
import type { PrepareFile } from '../upload/prepare-files';
import { encodeBitmap, scaledBitmap } from './image-bitmap';

export interface ResizeImageOptions {
  /** Widest the sent image may be, in pixels; never scaled up. Defaults to `2048`. */
  maxWidth?: number;
  /** Tallest the sent image may be, in pixels. Defaults to `maxWidth`. */
  maxHeight?: number;
  /** The type it is re-encoded as: `'image/jpeg'`, `'image/webp'` or `'image/png'`. Defaults to `'image/jpeg'`. */
  type?: string;
  /** Encoding quality, 0 to 1, for JPEG and WebP. Defaults to `0.85`. */
  quality?: number;
}

// Animated GIFs would lose their animation, vector images their sharpness.
const KEEP = new Set(['image/gif', 'image/svg+xml']);

function renamed(name: string, type: string): string {
  const extension = extensionForMime(type);
  if (!extension) return name;
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
}

/**
 * A `prepare` step for `createUploader` that scales photos down to fit `maxWidth` ×
 * `maxHeight` and re-encodes them (JPEG at 0.85 by default), in the browser, so phone
 * photos upload small. The EXIF orientation is applied (and the rest of the metadata, GPS
 * included, is not carried over). A file is sent as it is when it is not a still image
 * (GIF and SVG included), when the browser cannot decode it, and when it already fits and
 * re-encoding would not make it smaller. The name's extension follows the new type
 * (`IMG_1.png` becomes `IMG_1.jpg`).
 *
 * @example
 * const uploader = createUploader({
 *   endpoint: '/api/files/upload',
 *   prepare: resizeImage({ maxWidth: 1600, type: 'image/webp', quality: 0.8 }),
 *   rules: { accept: 'image/*', maxSize: 2 * 1024 * 1024 }, // judged on the resized file
 * });
 */
export function resizeImage(options: ResizeImageOptions = {}): PrepareFile {
  const { maxWidth = 2048, type = 'image/jpeg', quality = 0.85 } = options;
  const maxHeight = options.maxHeight ?? maxWidth;
  return async (file) => {
    if (!file.type.startsWith('image/') || KEEP.has(file.type)) return file;
    if (typeof createImageBitmap === 'undefined') return file;
    let blob: Blob;
    let scaled: boolean;
    try {
      const { bitmap, original } = await scaledBitmap(file, maxWidth, maxHeight);
      scaled = bitmap.width !== original.width || bitmap.height !== original.height;
      try {
        if (!scaled && file.type === type) return file;
        blob = await encodeBitmap(bitmap, type, quality);
      } finally {
        bitmap.close();
      }
    } catch {
      // Not decodable here (HEIC in most browsers, a broken file): sent as it came.
      return file;
    }
    if (!scaled && blob.size >= file.size) return file;
    return new File([blob], renamed(file.name, blob.type), {
      type: blob.type,
      lastModified: file.lastModified,
    });
  };
}
