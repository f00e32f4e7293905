import { randomBytes } from 'node:crypto';

export interface Part {
  /** Form field name. */
  name: string;
  /** Present for a file part; sent as raw UTF-8 bytes, as browsers do. */
  filename?: string;
  /** Content-Type of the part. Defaults to `application/octet-stream` for files. */
  type?: string;
  data: string | Uint8Array;
  /** Extra part headers, sent as given. */
  headers?: Record<string, string>;
}

export interface MultipartBody {
  body: Buffer;
  boundary: string;
  contentType: string;
}

export function randomBoundary(): string {
  return `----updown${randomBytes(12).toString('hex')}`;
}

/** The head of one part, up to and including the blank line before its data. */
export function partHead(part: Part, boundary: string): Buffer {
  let disposition = `form-data; name="${part.name}"`;
  if (part.filename !== undefined)
    disposition += `; filename="${part.filename.replace(/"/g, '%22')}"`;
  const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
  const type = part.type ?? (part.filename !== undefined ? 'application/octet-stream' : undefined);
  if (type !== undefined) lines.push(`Content-Type: ${type}`);
  for (const [key, value] of Object.entries(part.headers ?? {})) lines.push(`${key}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

export function closing(boundary: string): Buffer {
  return Buffer.from(`--${boundary}--\r\n`);
}

/** A whole multipart/form-data body, built by hand so malformed variants are easy to make. */
export function multipart(parts: Part[], boundary = randomBoundary()): MultipartBody {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(partHead(part, boundary));
    chunks.push(
      typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : Buffer.from(part.data),
    );
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(closing(boundary));
  return {
    body: Buffer.concat(chunks),
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Deterministic bytes, so a corrupted or reordered byte shows up in the hash. */
export function patternBytes(size: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}
