import { HandlerError } from '../../handler/errors';
import { isValidFileId } from '../../storage/file-id';
import type { PartialInfo } from '../../storage/resumable-storage';
import { answer } from '../tus-answer';
import { expiresHeader } from '../tus-expiration';
import { serializeUploadMetadata } from '../tus-protocol';
import type { TusCall, TusRuntime } from '../tus-runtime';

type UploadState = Pick<PartialInfo, 'offset' | 'length' | 'metadata' | 'expiresAt' | 'concat'>;

/** `HEAD /tus/:id`: where the upload stands. */
export async function headUpload<F>(
  rt: TusRuntime<F>,
  { res }: TusCall<F>,
  id: string,
): Promise<void> {
  const info: UploadState = await rt
    .withLock(id, () => rt.liveUpload(id))
    .catch(async (error: unknown) => {
      // A finished upload: its offset is its length, so a client whose last answer was lost
      // learns that it is done.
      const done =
        error instanceof HandlerError && error.status === 404 && isValidFileId(id)
          ? await rt.storage.stat(id)
          : null;
      if (!done) throw error;
      return { offset: done.size, length: done.size, metadata: {}, expiresAt: null };
    });
  const headers: Record<string, string | number> = {
    'Upload-Offset': info.offset,
    'Cache-Control': 'no-store',
    ...expiresHeader(info.expiresAt),
  };
  if (info.length === null) headers['Upload-Defer-Length'] = '1';
  else headers['Upload-Length'] = info.length;
  const meta = serializeUploadMetadata(info.metadata);
  if (meta) headers['Upload-Metadata'] = meta;
  if (info.concat === 'partial') headers['Upload-Concat'] = 'partial';
  answer(res, 200, headers);
}
