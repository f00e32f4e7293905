/**
 * The raster image types a browser shows as a picture and nothing more. SVG is left out on
 * purpose: it is a document that can hold scripts and links.
 */
const INLINE_IMAGES = new Set([
  'image/apng',
  'image/avif',
  'image/bmp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/jpeg',
  'image/jxl',
  'image/png',
  'image/tiff',
  'image/vnd.microsoft.icon',
  'image/webp',
  'image/x-icon',
]);

/** The type without its parameters, lowercased: `Text/Plain; charset=utf-8` is `text/plain`. */
export function essenceOf(type: string): string {
  return (type.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/**
 * Whether a file of this type may be shown in the browser (`inline`) rather than saved: raster
 * images, PDF, audio, video and plain text, which render without running anything of the
 * file's own on the app's origin. HTML, SVG, XHTML, XML, JavaScript and every type not named
 * here are always saved (`attachment`).
 */
export function canInline(type: string): boolean {
  const essence = essenceOf(type);
  return (
    INLINE_IMAGES.has(essence) ||
    essence === 'application/pdf' ||
    essence === 'text/plain' ||
    /^(audio|video)\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(essence)
  );
}
