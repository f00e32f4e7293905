import { HandlerError } from '../../handler/errors';
import { isValidFileId } from '../../storage/file-id';
import { finishedUpload } from '../finished-upload';
import { answer } from '../tus-answer';
import type { TusCall, TusRuntime } from '../tus-runtime';

/**
 * `DELETE /tus/:id` (termination): the partial upload and its bytes go; a finished upload
 * is the file it became, so that file goes (and `GET /:id` no longer serves it).
 */
export async function terminateUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange }: TusCall<F, R>,
  id: string,
): Promise<void> {
  const removed = await rt.withLock(id, async () => {
    if (!isValidFileId(id)) return false;
    if (await rt.dropPartial(id)) return true;
    return (await finishedUpload(rt, id)) ? rt.storage.delete(id) : false;
  });
  if (!removed) throw new HandlerError('not-found', 'No such upload');
  answer(exchange, 204);
}
