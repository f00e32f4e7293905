import { HandlerError } from '../../handler/errors';
import { answer } from '../tus-answer';
import { OFFSET_CONTENT_TYPE, parseIntegerHeader } from '../tus-protocol';
import { receiveBody } from '../tus-receive';
import { checksumOf, isOffsetStream } from '../tus-request';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** `PATCH /tus/:id`: bytes at the upload's offset, and its length once it was deferred. */
export async function patchUpload<F>(
  rt: TusRuntime<F>,
  { req, res, ctx, basePath }: TusCall<F>,
  id: string,
): Promise<void> {
  if (!isOffsetStream(req)) {
    throw new HandlerError('unsupported-media-type', `PATCH bodies must be ${OFFSET_CONTENT_TYPE}`);
  }
  const offset = parseIntegerHeader(req.headers['upload-offset']);
  if (offset === null || offset === undefined)
    throw new HandlerError('malformed-request', 'Upload-Offset is missing or malformed');
  const newLength = parseIntegerHeader(req.headers['upload-length']);
  if (newLength === undefined)
    throw new HandlerError('malformed-request', 'Upload-Length is malformed');
  const checksum = checksumOf(req);
  const result = await rt.withLock(id, async () => {
    let info = await rt.liveUpload(id);
    if (offset !== info.offset) {
      throw new HandlerError('offset-mismatch', `The upload is at offset ${info.offset}`, {
        headers: { 'Upload-Offset': String(info.offset) },
      });
    }
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
    return receiveBody(rt, req, info, checksum, ctx, basePath);
  });
  if (!result) return;
  answer(res, 204, { 'Upload-Offset': result.offset });
}
