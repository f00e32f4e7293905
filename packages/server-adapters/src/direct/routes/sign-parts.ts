import { HandlerError } from '../../handler/errors';
import type { DirectUploadInfo } from '../../storage/direct-storage';
import { parsePartNumbers } from '../direct-request';
import type { DirectAnswer, DirectCall, DirectRuntime } from '../direct-runtime';

/** A PUT upload has one URL, given at its creation, and no parts. */
function multipartOnly(upload: DirectUploadInfo): void {
  if (upload.kind !== 'multipart') {
    throw new HandlerError('malformed-request', 'This upload is one PUT: it has no parts');
  }
  if (upload.assembled) {
    throw new HandlerError('malformed-request', 'The parts are put together already: complete it');
  }
}

/** `POST /direct/:id/parts`: presigned UploadPart URLs for the part numbers asked. */
export async function signParts<F, R extends object>(
  rt: DirectRuntime<F, R>,
  call: DirectCall<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  rt.stillPending(upload);
  multipartOnly(upload);
  const partNumbers = parsePartNumbers(await rt.readBody(call), upload.partCount);
  const urls = await rt.store.signParts(upload, partNumbers, rt.urlSeconds(upload));
  return {
    status: 200,
    body: { parts: partNumbers.map((partNumber, i) => ({ partNumber, url: urls[i] })) },
  };
}
