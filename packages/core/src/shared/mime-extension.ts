// Only what downloads commonly produce; anything else keeps the name it was given. Written
// compactly, as it ships in every bundle with a drop zone: ' ' between top-level types,
// ',' between subtypes, '=ext' where the extension is not the subtype itself.
const TABLE =
  'application/gzip=gz,javascript=js,json,msword=doc,octet-stream=bin,pdf,rtf,' +
  'vnd.ms-excel=xls,vnd.ms-powerpoint=ppt,vnd.oasis.opendocument.spreadsheet=ods,' +
  'vnd.oasis.opendocument.text=odt,' +
  'vnd.openxmlformats-officedocument.presentationml.presentation=pptx,' +
  'vnd.openxmlformats-officedocument.spreadsheetml.sheet=xlsx,' +
  'vnd.openxmlformats-officedocument.wordprocessingml.document=docx,' +
  'wasm,x-7z-compressed=7z,x-ndjson=ndjson,x-tar=tar,xml,yaml,zip ' +
  'audio/aac,flac,mpeg=mp3,ogg,wav,webm=weba ' +
  'font/otf,ttf,woff,woff2 ' +
  'image/avif,bmp,gif,heic,jpeg=jpg,png,svg+xml=svg,tiff,vnd.microsoft.icon=ico,webp,x-icon=ico ' +
  'text/calendar=ics,css,csv,html,javascript=js,markdown=md,plain=txt,' +
  'tab-separated-values=tsv,xml,yaml ' +
  'video/mp4,mpeg,ogg=ogv,quicktime=mov,webm';

let extensions: Map<string, string> | undefined;

/** The table as a map, made on first use (never at import time). */
function extensionTable(): Map<string, string> {
  if (extensions) return extensions;
  extensions = new Map();
  for (const group of TABLE.split(' ')) {
    const [top, subtypes] = group.split('/') as [string, string];
    for (const entry of subtypes.split(',')) {
      const [subtype, extension] = entry.split('=') as [string, string?];
      extensions.set(`${top}/${subtype}`, extension ?? subtype);
    }
  }
  return extensions;
}

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
  const known = extensionTable().get(essence);
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
