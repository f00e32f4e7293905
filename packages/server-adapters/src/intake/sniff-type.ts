import { type Accept, matchesAccept } from '@updown/core/rules';
import { HandlerError } from '../handler/errors';

/** How many leading bytes `file-type` needs to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/**
 * The kind of content a type names, loosely: formats of one kind share containers and
 * aliases (`image/jpg` and `image/jpeg`, `audio/mp4` and `video/mp4`, SVG sniffed as XML),
 * so only a claim of another kind is a contradiction.
 */
function kindOf(essence: string): string {
  if (essence.startsWith('text/') || essence === 'application/xml' || essence.endsWith('+xml'))
    return 'text';
  if (essence.startsWith('audio/') || essence.startsWith('video/') || essence === 'application/ogg')
    return 'media';
  return essence.split('/', 1)[0] ?? '';
}

/** Whether the declared type says the file is another kind of thing than its bytes show. */
function contradicts(declared: string, detected: string): boolean {
  const essence = declared.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (essence === '' || essence === 'application/octet-stream' || essence === detected)
    return false;
  return kindOf(essence) !== kindOf(detected);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Judges a file by its first bytes. A recognised format must be accepted, and of the kind
 * the declared type names (PNG bytes declared `text/html` are refused); unrecognised
 * bytes (text, CSV, JSON...) are refused when the client claimed, by MIME type or extension,
 * a format that has a signature: a `.png` that is really text is a lie. A refusal is thrown
 * as `file-invalid-type`; else resolves with the sniffed MIME type, which is what the file is
 * stored as, or `null` when the bytes have no signature.
 */
export async function sniffType(
  head: Uint8Array,
  claimed: { name: string; type: string },
  accept: Accept | undefined,
): Promise<string | null> {
  // file-type is ESM-only; a dynamic import keeps the CJS build loadable.
  const { fileTypeFromBuffer, supportedExtensions, supportedMimeTypes } = await import('file-type');
  const detected = await fileTypeFromBuffer(head);
  if (detected) {
    if (!matchesAccept({ name: `file.${detected.ext}`, type: detected.mime }, accept)) {
      throw new HandlerError(
        'file-invalid-type',
        `File content is ${detected.mime}, which is not accepted`,
      );
    }
    if (contradicts(claimed.type, detected.mime)) {
      throw new HandlerError(
        'file-invalid-type',
        `File content is ${detected.mime}, which contradicts its declared type`,
      );
    }
    return detected.mime;
  }
  const claimedType = claimed.type.split(';')[0]?.trim().toLowerCase() ?? '';
  const claimedExt = extensionOf(claimed.name);
  if (
    supportedMimeTypes.has(claimedType as never) ||
    supportedExtensions.has(claimedExt as never)
  ) {
    throw new HandlerError('file-invalid-type', 'File content does not match its declared type');
  }
  return null;
}
