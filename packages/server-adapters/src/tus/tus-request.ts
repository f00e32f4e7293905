import type { IncomingHttpHeaders } from 'node:http';
import { HandlerError } from '../handler/errors';
import { type ChecksumExpectation, parseChecksumHeader } from './tus-checksum';
import { OFFSET_CONTENT_TYPE, parseIntegerHeader } from './tus-protocol';

/** `Upload-Checksum`, or `null` without one; 400 when malformed or unsupported. */
export function checksumOf(req: { headers: IncomingHttpHeaders }): ChecksumExpectation | null {
  try {
    return parseChecksumHeader(req.headers['upload-checksum']);
  } catch (error) {
    throw new HandlerError('malformed-request', (error as Error).message);
  }
}

/** Whether the request says it brings bytes, by length or by chunked encoding. */
export function hasBody(req: { headers: IncomingHttpHeaders }): boolean {
  const length = parseIntegerHeader(req.headers['content-length']);
  return (
    (length !== null && length !== undefined && length > 0) ||
    req.headers['transfer-encoding'] !== undefined
  );
}

/** Whether the body is tus bytes (`application/offset+octet-stream`). */
export function isOffsetStream(req: { headers: IncomingHttpHeaders }): boolean {
  return (
    (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === OFFSET_CONTENT_TYPE
  );
}
