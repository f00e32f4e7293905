import { HandlerError } from '../handler/errors';
import type { ResolvedLimits } from '../handler/limits';
import type { DirectPartRef } from '../storage/direct-storage';

/** What a client declares to begin a direct upload: judged by the rules before any signing. */
export interface DirectDeclaration {
  name: string;
  size: number;
  type: string;
  sha256?: string;
  fields?: Record<string, string>;
}

/** A MIME type is printable ASCII (RFC 6838): it becomes the presigned PUT's `Content-Type`. */
const HEADER_TYPE = /^[\u0020-\u007e]{0,255}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
/** S3's most parts in one multipart upload. */
export const MAX_PARTS = 10_000;

function malformed(message: string): HandlerError {
  return new HandlerError('malformed-request', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function partNumberOf(value: unknown, partCount: number): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > partCount) {
    throw malformed(`A part number is an integer from 1 to ${partCount}`);
  }
  return value as number;
}

/** The text fields, under the same limits as a multipart upload's (one file keeps them). */
function fieldsOf(value: unknown, limits: ResolvedLimits): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw malformed('fields must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > limits.fields) {
    throw new HandlerError('request-too-large', `More than ${limits.fields} fields`);
  }
  const fields: Record<string, string> = Object.create(null);
  for (const [key, text] of entries) {
    if (typeof text !== 'string') throw malformed('fields must be an object of strings');
    if (Buffer.byteLength(text) > limits.fieldSize) {
      throw new HandlerError('request-too-large', `Field is longer than ${limits.fieldSize} bytes`);
    }
    fields[key] = text;
  }
  if (Buffer.byteLength(JSON.stringify(fields)) > limits.fieldsTotalSize) {
    throw new HandlerError(
      'request-too-large',
      `The text fields are over ${limits.fieldsTotalSize} bytes`,
    );
  }
  return entries.length > 0 ? { ...fields } : undefined;
}

/** `POST /direct`'s body: `{ name, size, type, sha256?, fields? }`. */
export function parseDeclaration(body: unknown, limits: ResolvedLimits): DirectDeclaration {
  if (!isRecord(body)) throw malformed('The body must be a JSON object');
  const { name, size, type, sha256 } = body;
  if (typeof name !== 'string') throw malformed('name must be a string');
  if (!Number.isSafeInteger(size) || (size as number) < 0) {
    throw malformed('size must be a whole number of bytes');
  }
  if (type !== undefined && (typeof type !== 'string' || !HEADER_TYPE.test(type))) {
    throw malformed('type must be a MIME type');
  }
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))) {
    throw malformed('sha256 must be 64 hex digits');
  }
  const fields = fieldsOf(body.fields, limits);
  return {
    name,
    size: size as number,
    type: (type as string | undefined) || 'application/octet-stream',
    ...(sha256 === undefined ? {} : { sha256: (sha256 as string).toLowerCase() }),
    ...(fields ? { fields } : {}),
  };
}

/** `POST /direct/:id/parts`' body: `{ partNumbers: [1, 2, 3] }`, each once. */
export function parsePartNumbers(body: unknown, partCount: number): number[] {
  const list = isRecord(body) ? body.partNumbers : undefined;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PARTS) {
    throw malformed('partNumbers must be a list of part numbers');
  }
  const numbers = list.map((n) => partNumberOf(n, partCount));
  return [...new Set(numbers)];
}

/**
 * `POST /direct/:id/complete`'s body: `{ parts?: [{ partNumber, etag }] }`, each part once;
 * `undefined` when the client left them to the bucket's list.
 */
export function parseCompleteParts(body: unknown, partCount: number): DirectPartRef[] | undefined {
  if (!isRecord(body)) throw malformed('The body must be a JSON object');
  if (body.parts === undefined) return undefined;
  if (!Array.isArray(body.parts) || body.parts.length > MAX_PARTS) {
    throw malformed('parts must be a list of { partNumber, etag }');
  }
  const seen = new Set<number>();
  return body.parts.map((part: unknown) => {
    if (!isRecord(part) || typeof part.etag !== 'string' || part.etag.length > 1024) {
      throw malformed('parts must be a list of { partNumber, etag }');
    }
    const partNumber = partNumberOf(part.partNumber, partCount);
    if (seen.has(partNumber)) throw malformed(`Part ${partNumber} is named twice`);
    seen.add(partNumber);
    return { partNumber, etag: part.etag };
  });
}
