import { HandlerError } from '../../handler/errors';
import type { DirectUploadInfo } from '../../storage/direct-storage';
import type { DirectAnswer, DirectRuntime } from '../direct-runtime';

/**
 * `DELETE /direct/:id`: the multipart upload aborted (or the PUT's object removed), the record
 * gone. Once completed, too late: 409 `upload-completed`, the file stays (`DELETE /:id`
 * removes a file).
 */
export async function abortDirect<F, R extends object>(
  rt: DirectRuntime<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  if (upload.completed) {
    throw new HandlerError('upload-completed', 'The upload is complete: the file stays');
  }
  await rt.store.discard(upload);
  return { status: 204 };
}
