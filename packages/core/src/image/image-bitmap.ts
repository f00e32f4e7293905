import { fitWithin, type Size } from './fit-within';

/** Types that a browser decodes as still images. */
export function isImageType(type: string): boolean {
  return type.startsWith('image/');
}

export function isVideoType(type: string): boolean {
  return type.startsWith('video/');
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/**
 * The first frame worth showing of a video file: loaded through a detached `<video>` from an
 * object URL (revoked before returning), seeked a little in, so a black first frame is skipped.
 */
async function videoFrame(file: Blob, signal?: AbortSignal): Promise<ImageBitmap> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  try {
    video.muted = true;
    video.playsInline = true;
    video.preload = 'auto';
    await new Promise<void>((resolve, reject) => {
      const fail = () => reject(new Error('The video could not be decoded'));
      video.addEventListener('loadeddata', () => resolve(), { once: true });
      video.addEventListener('error', fail, { once: true });
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      video.src = url;
    });
    aborted(signal);
    const at = Number.isFinite(video.duration) ? Math.min(0.5, video.duration / 4) : 0;
    if (at > 0) {
      await new Promise<void>((resolve) => {
        video.addEventListener('seeked', () => resolve(), { once: true });
        video.currentTime = at;
      });
    }
    return await createImageBitmap(video);
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

/**
 * The file decoded (an image, or a video's poster frame) and scaled down to fit within
 * `maxWidth` × `maxHeight`. `createImageBitmap` decodes and resizes off the main thread in
 * browsers that can; the EXIF orientation is applied. The caller closes the bitmap.
 */
export async function scaledBitmap(
  file: Blob,
  maxWidth: number,
  maxHeight: number,
  signal?: AbortSignal,
): Promise<{ bitmap: ImageBitmap; original: Size }> {
  aborted(signal);
  const full = isVideoType(file.type)
    ? await videoFrame(file, signal)
    : await createImageBitmap(file, { imageOrientation: 'from-image' });
  const original = { width: full.width, height: full.height };
  const target = fitWithin(original, maxWidth, maxHeight);
  if (target.width === original.width && target.height === original.height) {
    return { bitmap: full, original };
  }
  try {
    aborted(signal);
    const bitmap = await createImageBitmap(full, {
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
    });
    return { bitmap, original };
  } finally {
    full.close();
  }
}

/**
 * A bitmap encoded as `type` (`image/jpeg`, `image/webp`, `image/png`) at `quality` (0 to 1):
 * on an `OffscreenCanvas` where there is one, else a detached `<canvas>`. A browser that
 * cannot encode the type answers PNG, as canvases do.
 */
export async function encodeBitmap(
  bitmap: ImageBitmap,
  type: string,
  quality: number | undefined,
): Promise<Blob> {
  const { width, height } = bitmap;
  // JPEG has no alpha: transparent pixels would turn black, so they sit on white instead.
  const draw = (context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D) => {
    if (type === 'image/jpeg') {
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
    }
    context.drawImage(bitmap, 0, 0);
  };
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2D canvas in this browser');
    draw(context);
    return canvas.convertToBlob(quality === undefined ? { type } : { type, quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas in this browser');
  draw(context);
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The image could not be encoded'))),
      type,
      quality,
    );
  });
}
