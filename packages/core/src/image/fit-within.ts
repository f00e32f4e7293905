/** A width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size of `size` scaled down (never up) to fit within `maxWidth` × `maxHeight`, aspect
 * ratio kept, at least 1 × 1 pixel.
 */
export function fitWithin(size: Size, maxWidth: number, maxHeight: number): Size {
  const scale = Math.min(1, maxWidth / size.width, maxHeight / size.height);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}
