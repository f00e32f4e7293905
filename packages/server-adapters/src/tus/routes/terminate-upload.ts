import { HandlerError } from '../../handler/errors';
import { isValidFileId } from '../../storage/file-id';
import { answer } from '../tus-answer';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** `DELETE /tus/:id`: the partial upload and its bytes go (termination). */
export async function terminateUpload<F>(
  rt: TusRuntime<F>,
  { res }: TusCall<F>,
  id: string,
): Promise<void> {
  const removed = await rt.withLock(id, async () =>
    isValidFileId(id) ? rt.dropPartial(id) : false,
  );
  if (!removed) throw new HandlerError('not-found', 'No such upload');
  answer(res, 204);
}
