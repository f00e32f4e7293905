import { HandlerError } from '../../handler/errors';
import { type FinishedUpload, liveOrFinished } from '../finished-upload';
import { answer } from '../tus-answer';
import { expiresHeader } from '../tus-expiration';
import { OFFSET_CONTENT_TYPE, parseIntegerHeader } from '../tus-protocol';
import { receiveBody } from '../tus-receive';
import { checksumOf, hasBody, isOffsetStream } from '../tus-request';
import type { TusCall, TusRuntime } from '../tus-runtime';

function offsetMismatch(offset: number, headers: Record<string, string> = {}): HandlerError {
  return new HandlerError('offset-mismatch', `The upload is at offset ${offset}`, {
    headers: { 'Upload-Offset': String(offset), ...headers },
  });
}

/**
 * A PATCH of an upload that is already finished: a client whose answer to the last PATCH
 * was lost sends it again, or an empty one to learn where it stands. Nothing more fits.
 */
function patchFinished(file: FinishedUpload, offset: number, bodyComing: boolean): number {
  if (file.tus.parts) {
    throw new HandlerError('forbidden', 'A final upload of a concatenation takes no PATCH');
  }
  if (offset !== file.size) throw offsetMismatch(file.size);
  if (bodyComing) {
    throw new HandlerError('request-too-large', 'The upload is complete: no byte fits past it', {
      headers: { 'Upload-Offset': String(file.size) },
    });
  }
  return file.size;
}

/** `PATCH /tus/:id`: bytes at the upload's offset, and its length once it was deferred. */
export async function patchUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange, ctx, basePath }: TusCall<F, R>,
  id: string,
): Promise<void> {
  if (!isOffsetStream(exchange)) {
    throw new HandlerError('unsupported-media-type', `PATCH bodies must be ${OFFSET_CONTENT_TYPE}`);
  }
  const offset = parseIntegerHeader(exchange.headers['upload-offset']);
  if (offset === null || offset === undefined)
    throw new HandlerError('malformed-request', 'Upload-Offset is missing or malformed');
  const newLength = parseIntegerHeader(exchange.headers['upload-length']);
  if (newLength === undefined)
    throw new HandlerError('malformed-request', 'Upload-Length is malformed');
  const checksum = checksumOf(exchange);
  const result = await rt.withLock(id, async () => {
    const found = await liveOrFinished(rt, id, () => rt.liveUpload(id));
    if (found.kind === 'finished') {
      return { offset: patchFinished(found.file, offset, hasBody(exchange)), expiresAt: null };
    }
    let info = found.info;
    const expires = expiresHeader(info.expiresAt);
    if (offset !== info.offset) throw offsetMismatch(info.offset, expires);
    if (newLength !== null) {
      if (info.length !== null && info.length !== newLength) {
        throw new HandlerError('malformed-request', 'Upload-Length cannot change');
      }
      if (info.length === null) {
        if (newLength < info.offset)
          throw new HandlerError('malformed-request', 'Upload-Length is below the offset');
        rt.checkLength(newLength);
        await rt.store.updatePartial(id, { length: newLength });
        info = { ...info, length: newLength };
      }
    }
    return receiveBody(rt, exchange.body, info, checksum, ctx, basePath);
  });
  if (!result) return;
  // An upload that goes on says until when (tus expiration: on every PATCH answer).
  const expiresAt = 'stored' in result && result.stored ? null : (result.expiresAt ?? null);
  answer(exchange, 204, { 'Upload-Offset': result.offset, ...expiresHeader(expiresAt) });
}
