/**
 * The types a file's extension may vouch for when its bytes were not sniffed: the ones a
 * browser may show inline (raster images, PDF, audio, video, plain text). A file of any other
 * type is served as `application/octet-stream`, whatever the client declared.
 */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  apng: 'image/apng',
  avif: 'image/avif',
  bmp: 'image/bmp',
  gif: 'image/gif',
  ico: 'image/x-icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
  aac: 'audio/aac',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp3: 'audio/mpeg',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  wav: 'audio/wav',
  weba: 'audio/webm',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  ogv: 'video/ogg',
  webm: 'video/webm',
  txt: 'text/plain',
};

const FALLBACK = 'application/octet-stream';

/** `text/plain; charset=utf-8`, a type with parameters that can be a header as it is. */
const HEADER_SAFE_TYPE =
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+=[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function essenceOf(type: string): string {
  return (type.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/**
 * The type a file is stored and served with, from what the server verified rather than the
 * client's word alone: the type its bytes showed when they were sniffed; otherwise the
 * declared type when the file's extension stands for it, else `application/octet-stream`.
 * The server never makes a type up: `innocent.png` declared `text/html` and `page.html` are
 * both served as `application/octet-stream`.
 */
export function servedType(name: string, declared: string, sniffed: string | null): string {
  if (sniffed) return sniffed;
  const byExtension = TYPE_BY_EXTENSION[extensionOf(name)];
  const kept = declared.trim();
  if (!byExtension || essenceOf(kept) !== byExtension) return FALLBACK;
  return HEADER_SAFE_TYPE.test(kept) ? kept : byExtension;
}
