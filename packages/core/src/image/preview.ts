import { encodeBitmap, isImageType, isVideoType, scaledBitmap } from './image-bitmap';

export interface PreviewOptions {
  /** The thumbnail's longest side, in pixels; never scaled up. Defaults to `240`. */
  maxSize?: number;
  /** How the thumbnail is encoded. Defaults to `'image/webp'` (PNG where a browser cannot). */
  type?: string;
  /** Encoding quality, 0 to 1, for JPEG and WebP. Defaults to `0.8`. */
  quality?: number;
  /** Stops the work; an aborted preview answers `null`. */
  signal?: AbortSignal;
}

/** A thumbnail of a file, behind an object URL that lives until `release()`. */
export interface Preview {
  /** An object URL for `<img src>`; revoked by `release()`. */
  readonly url: string;
  /** The thumbnail's size, in pixels. */
  readonly width: number;
  readonly height: number;
  /** The picture's own size (after EXIF rotation), in pixels. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Revokes the object URL. Calling it again does nothing. */
  release(): void;
}

export const DEFAULT_PREVIEW_SIZE = 240;

/** Whether `createPreview` may give a thumbnail of a file of this MIME type (an image or a video). */
export function canPreview(type: string): boolean {
  return isImageType(type) || isVideoType(type);
}

/**
 * A scaled-down thumbnail of an image (or a video's poster frame), decoded and resized with
 * `createImageBitmap` (off the main thread where the browser does so) and encoded on an
 * `OffscreenCanvas` where there is one. Answers `null` for other files, for files the
 * browser cannot decode, when aborted, and outside a browser. Release it when done: its
 * object URL is held until then.
 *
 * @example
 * const preview = await createPreview(file, { maxSize: 160 });
 * if (preview) img.src = preview.url;
 * // later, when the row goes away:
 * preview?.release();
 */
export async function createPreview(
  file: Blob,
  options: PreviewOptions = {},
): Promise<Preview | null> {
  const { maxSize = DEFAULT_PREVIEW_SIZE, type = 'image/webp', quality = 0.8, signal } = options;
  if (!canPreview(file.type) || typeof createImageBitmap === 'undefined') return null;
  let blob: Blob;
  let size: { width: number; height: number };
  let original: { width: number; height: number };
  try {
    const scaled = await scaledBitmap(file, maxSize, maxSize, signal);
    original = scaled.original;
    size = { width: scaled.bitmap.width, height: scaled.bitmap.height };
    try {
      blob = await encodeBitmap(scaled.bitmap, type, quality);
    } finally {
      scaled.bitmap.close();
    }
  } catch {
    // A preview is a nicety: an undecodable file simply has none.
    return null;
  }
  if (signal?.aborted) return null;
  const url = URL.createObjectURL(blob);
  let released = false;
  return {
    url,
    ...size,
    originalWidth: original.width,
    originalHeight: original.height,
    release() {
      if (released) return;
      released = true;
      URL.revokeObjectURL(url);
    },
  };
}
