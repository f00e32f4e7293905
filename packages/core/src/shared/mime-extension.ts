// Only what downloads commonly produce; anything else keeps the name it was given.
const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/gzip': 'gz',
  'application/javascript': 'js',
  'application/json': 'json',
  'application/msword': 'doc',
  'application/octet-stream': 'bin',
  'application/pdf': 'pdf',
  'application/rtf': 'rtf',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/wasm': 'wasm',
  'application/x-7z-compressed': '7z',
  'application/x-ndjson': 'ndjson',
  'application/x-tar': 'tar',
  'application/xml': 'xml',
  'application/yaml': 'yaml',
  'application/zip': 'zip',
  'audio/aac': 'aac',
  'audio/flac': 'flac',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/webm': 'weba',
  'font/otf': 'otf',
  'font/ttf': 'ttf',
  'font/woff': 'woff',
  'font/woff2': 'woff2',
  'image/avif': 'avif',
  'image/bmp': 'bmp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/svg+xml': 'svg',
  'image/tiff': 'tiff',
  'image/vnd.microsoft.icon': 'ico',
  'image/webp': 'webp',
  'image/x-icon': 'ico',
  'text/calendar': 'ics',
  'text/css': 'css',
  'text/csv': 'csv',
  'text/html': 'html',
  'text/javascript': 'js',
  'text/markdown': 'md',
  'text/plain': 'txt',
  'text/tab-separated-values': 'tsv',
  'text/xml': 'xml',
  'text/yaml': 'yaml',
  'video/mp4': 'mp4',
  'video/mpeg': 'mpeg',
  'video/ogg': 'ogv',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
};

/**
 * The usual extension (without the dot) for a MIME type, parameters ignored:
 * `extensionForMime('text/csv;charset=utf-8') === 'csv'`. Structured suffixes count
 * (`application/ld+json` gives `json`). `undefined` when the type is unknown.
 */
export function extensionForMime(mimeType: string): string | undefined {
  return extensionForEssence(mimeEssence(mimeType));
}

/** The type without its parameters, lower-cased: `Text/CSV; charset=utf-8` gives `text/csv`. */
export function mimeEssence(mimeType: string): string {
  return mimeType.split(';', 1)[0]!.trim().toLowerCase();
}

/** `extensionForMime` for a type already reduced by `mimeEssence`. */
export function extensionForEssence(essence: string): string | undefined {
  const known = EXTENSIONS[essence];
  if (known) return known;
  if (essence.endsWith('+json')) return 'json';
  if (essence.endsWith('+xml')) return 'xml';
  if (essence.endsWith('+zip')) return 'zip';
  return undefined;
}

/** `true` when the last path segment of `filename` ends in `.something` (not a dotfile's only dot). */
export function hasExtension(filename: string): boolean {
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  return /.\.[A-Za-z0-9]{1,10}$/.test(base);
}

/** Adds the MIME type's extension when `filename` has none: `('report', 'application/pdf')` gives `report.pdf`. */
export function withExtension(filename: string, mimeType: string): string {
  if (hasExtension(filename)) return filename;
  const extension = extensionForMime(mimeType);
  return extension ? `${filename}.${extension}` : filename;
}
