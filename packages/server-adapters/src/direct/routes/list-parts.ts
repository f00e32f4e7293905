import type { DirectUploadInfo } from '../../storage/direct-storage';
import type { DirectAnswer, DirectRuntime } from '../direct-runtime';

/** `GET /direct/:id/parts`: what the bucket holds already, so a resumed upload sends the rest. */
export async function listParts<F, R extends object>(
  rt: DirectRuntime<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  rt.stillPending(upload);
  const { kind, partSize, partCount } = upload;
  const parts = kind === 'multipart' ? await rt.partsOf(upload) : [];
  return { status: 200, body: { kind, partSize, partCount, parts } };
}
