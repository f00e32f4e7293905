import type { DirectUploadInfo } from '../../storage/direct-storage';
import type { DirectAnswer, DirectRuntime } from '../direct-runtime';

/** `DELETE /direct/:id`: the multipart upload aborted (or the PUT's object removed), the record gone. */
export async function abortDirect<F, R extends object>(
  rt: DirectRuntime<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  await rt.store.discard(upload);
  return { status: 204 };
}
