/** Canvas-like sources are turned into images; `mimeType` picks the format (PNG by default). */
export type ImageSource =
  | HTMLCanvasElement
  | OffscreenCanvas
  | ImageBitmap
  | ImageData
  | HTMLImageElement;

/**
 * What `toBlob` and `download({ data })` take. Anything not listed is serialised as JSON, so
 * the type stays open (`unknown`); this alias documents the special cases.
 */
export type DownloadData =
  | string
  | ArrayBuffer
  | SharedArrayBuffer
  | ArrayBufferView
  | Blob
  | ImageSource
  | unknown;

export interface ToBlobOptions {
  /** For `image/jpeg` and `image/webp`: 0 to 1. The browser's default when omitted. */
  quality?: number;
}

const TEXT = 'text/plain;charset=utf-8';
const BINARY = 'application/octet-stream';
const JSON_TYPE = 'application/json';
const PNG = 'image/png';

/**
 * Turns what a user wants to save into a `Blob`:
 * - a `string` becomes `text/plain;charset=utf-8`, unless it starts with `data:` (a data URI,
 *   base64 or percent-encoded, whose MIME type is kept);
 * - typed arrays, `DataView`, `ArrayBuffer` are copied as bytes (`application/octet-stream`);
 * - a `Blob` or `File` is returned as is;
 * - a canvas, `OffscreenCanvas`, `ImageBitmap`, `ImageData` or loaded `<img>` is encoded as
 *   an image (`image/png` unless `mimeType` asks for another);
 * - any other value is JSON (`application/json`); cycles and `BigInt` are refused with a
 *   `TypeError` that names where they are.
 *
 * `mimeType`, when given, is the type of the result (for images, the encoding asked of the browser).
 */
export async function toBlob(
  data: DownloadData,
  mimeType?: string,
  options: ToBlobOptions = {},
): Promise<Blob> {
  if (typeof data === 'string') {
    if (data.startsWith('data:')) return dataUriToBlob(data, mimeType);
    return new Blob([data], { type: mimeType ?? TEXT });
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    if (!mimeType || mimeType === data.type) return data;
    // slice() shares the bytes: only the type changes.
    return data.slice(0, data.size, mimeType);
  }
  if (ArrayBuffer.isView(data)) {
    return new Blob([blobPart(data.buffer, data.byteOffset, data.byteLength)], {
      type: mimeType ?? BINARY,
    });
  }
  if (isArrayBuffer(data)) {
    return new Blob([blobPart(data, 0, data.byteLength)], { type: mimeType ?? BINARY });
  }
  if (data !== null && typeof data === 'object') {
    const image = await imageToBlob(data, mimeType ?? PNG, options.quality);
    if (image) return image;
  }
  return new Blob([toJson(data)], { type: mimeType ?? JSON_TYPE });
}

function isArrayBuffer(value: unknown): value is ArrayBuffer | SharedArrayBuffer {
  if (value instanceof ArrayBuffer) return true;
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) return true;
  // From another realm (an iframe, a Node vm): instanceof fails but the tag does not.
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

/**
 * The bytes as a view the Blob constructor takes. The constructor copies them itself (so later
 * changes to the array do not leak in), so only shared memory, which it refuses, is copied here.
 */
function blobPart(
  buffer: ArrayBufferLike,
  offset: number,
  length: number,
): Uint8Array<ArrayBuffer> {
  if (!isShared(buffer)) return new Uint8Array(buffer as ArrayBuffer, offset, length);
  const copy = new Uint8Array(length);
  copy.set(new Uint8Array(buffer, offset, length));
  return copy;
}

function isShared(buffer: ArrayBufferLike): boolean {
  return Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]';
}

// --- data: URIs (RFC 2397, as the Fetch standard's data: URL processor reads them) ---

function dataUriToBlob(uri: string, mimeType: string | undefined): Blob {
  const comma = uri.indexOf(',');
  if (comma < 0) throw new TypeError('toBlob: malformed data: URI (no comma)');
  let meta = uri.slice(5, comma).trim();
  const body = uri.slice(comma + 1);
  const base64 = /;\s*base64\s*$/i.test(meta);
  if (base64) meta = meta.replace(/;\s*base64\s*$/i, '');
  const type =
    meta.startsWith(';') || meta === '' ? `text/plain${meta || ';charset=US-ASCII'}` : meta;
  const bytes = percentDecode(body);
  const payload = base64 ? decodeBase64(bytes) : bytes;
  return new Blob([payload], { type: mimeType ?? type });
}

function percentDecode(text: string): Uint8Array<ArrayBuffer> {
  const input = new TextEncoder().encode(text);
  const output = new Uint8Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === 0x25 && i + 2 < input.length) {
      const hex = String.fromCharCode(input[i + 1]!, input[i + 2]!);
      if (/^[0-9a-f]{2}$/i.test(hex)) {
        output[length++] = Number.parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    output[length++] = byte;
  }
  return output.slice(0, length);
}

function decodeBase64(ascii: Uint8Array): Uint8Array<ArrayBuffer> {
  let text = '';
  for (const byte of ascii) text += String.fromCharCode(byte);
  // Whitespace is allowed; URL-safe letters are accepted as a courtesy.
  text = text
    .replace(/[\t\n\f\r ]/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('toBlob: the data: URI says base64 but its data is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// --- images: detected structurally or with guarded instanceof, never at import time ---

interface CanvasLike {
  width: number;
  height: number;
  toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number): void;
}

interface OffscreenCanvasLike {
  width: number;
  height: number;
  convertToBlob(options?: { type?: string; quality?: number }): Promise<Blob>;
}

interface ImageDataLike {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function isCanvas(value: object): value is CanvasLike {
  return (
    typeof (value as Partial<CanvasLike>).toBlob === 'function' &&
    'width' in value &&
    'height' in value
  );
}

function isOffscreenCanvas(value: object): value is OffscreenCanvasLike {
  return typeof (value as Partial<OffscreenCanvasLike>).convertToBlob === 'function';
}

function isImageData(value: object): value is ImageDataLike {
  if (typeof ImageData !== 'undefined' && value instanceof ImageData) return true;
  const candidate = value as Partial<ImageDataLike>;
  return (
    candidate.data instanceof Uint8ClampedArray &&
    typeof candidate.width === 'number' &&
    typeof candidate.height === 'number' &&
    candidate.data.length === candidate.width * candidate.height * 4
  );
}

async function imageToBlob(
  value: object,
  type: string,
  quality: number | undefined,
): Promise<Blob | undefined> {
  if (isOffscreenCanvas(value)) {
    return value.convertToBlob(quality === undefined ? { type } : { type, quality });
  }
  if (isCanvas(value)) return canvasToBlob(value, type, quality);
  if (isImageData(value)) {
    const { canvas, context } = scratchCanvas(value.width, value.height);
    context.putImageData(value as ImageData, 0, 0);
    return encode(canvas, type, quality);
  }
  if (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap) {
    const { canvas, context } = scratchCanvas(value.width, value.height);
    context.drawImage(value, 0, 0);
    return encode(canvas, type, quality);
  }
  if (typeof HTMLImageElement !== 'undefined' && value instanceof HTMLImageElement) {
    if (!value.complete || value.naturalWidth === 0) await value.decode();
    const { canvas, context } = scratchCanvas(value.naturalWidth, value.naturalHeight);
    context.drawImage(value, 0, 0);
    return encode(canvas, type, quality);
  }
  return undefined;
}

function canvasToBlob(
  canvas: CanvasLike,
  type: string,
  quality: number | undefined,
): Promise<Blob> {
  return new Promise((resolve, reject) => {
    try {
      canvas.toBlob(
        (blob) => {
          if (blob) resolve(blob);
          else
            reject(
              new TypeError(
                `toBlob: the canvas (${canvas.width}×${canvas.height}) gave no image; is it empty?`,
              ),
            );
        },
        type,
        quality,
      );
    } catch (error) {
      // A canvas tainted by a cross-origin image throws a SecurityError: say why.
      reject(
        withCause(
          'toBlob: the canvas cannot be exported (tainted by a cross-origin image?)',
          error,
        ),
      );
    }
  });
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function scratchCanvas(
  width: number,
  height: number,
): { canvas: OffscreenCanvasLike | CanvasLike; context: Context2D } {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (context) return { canvas, context };
  }
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (context) return { canvas, context };
  }
  throw new TypeError(
    'toBlob: encoding an image needs OffscreenCanvas or a DOM canvas, and neither is available here',
  );
}

function encode(
  canvas: OffscreenCanvasLike | CanvasLike,
  type: string,
  quality: number | undefined,
): Promise<Blob> {
  if (isOffscreenCanvas(canvas)) {
    return canvas
      .convertToBlob(quality === undefined ? { type } : { type, quality })
      .catch((error: unknown) => {
        throw withCause('toBlob: the image cannot be exported (cross-origin without CORS?)', error);
      });
  }
  return canvasToBlob(canvas, type, quality);
}

function withCause(message: string, cause: unknown): Error {
  return new Error(message, { cause });
}

// --- JSON with errors that say where the problem is ---

function toJson(value: unknown): string {
  const ancestors: object[] = [];
  const keys: string[] = [];
  const path = (key: string) =>
    ['$', ...keys.slice(1), key].filter((part) => part !== '').join('.');
  const text = JSON.stringify(value, function (this: unknown, key: string, current: unknown) {
    // `this` is the object holding `key`: unwind to it, so ancestors is the path from the root.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) {
      ancestors.pop();
      keys.pop();
    }
    if (typeof current === 'bigint') {
      throw new TypeError(
        `toBlob: cannot convert the BigInt at ${path(key)} to JSON; turn it into a string or number first`,
      );
    }
    if (current !== null && typeof current === 'object') {
      if (ancestors.includes(current)) {
        throw new TypeError(
          `toBlob: cannot convert a circular structure to JSON (${path(key)} refers to an ancestor)`,
        );
      }
      ancestors.push(current);
      keys.push(key);
    }
    return current;
  });
  if (text === undefined) {
    throw new TypeError(
      `toBlob: a ${typeof value} cannot be converted to JSON; pass a string, bytes, a Blob or a plain value`,
    );
  }
  return text;
}
