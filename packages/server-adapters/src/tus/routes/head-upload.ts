import { finalConcatHeader, liveOrFinished } from '../finished-upload';
import { answer } from '../tus-answer';
import { expiresHeader } from '../tus-expiration';
import { serializeUploadMetadata } from '../tus-protocol';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** `HEAD /tus/:id`: where the upload stands. */
export async function headUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange, basePath }: TusCall<F, R>,
  id: string,
): Promise<void> {
  const found = await rt.withLock(id, () => liveOrFinished(rt, id, () => rt.liveUpload(id)));
  const headers: Record<string, string | number> = { 'Cache-Control': 'no-store' };
  let metadata: Record<string, string>;
  if (found.kind === 'live') {
    const { info } = found;
    metadata = info.metadata;
    headers['Upload-Offset'] = info.offset;
    Object.assign(headers, expiresHeader(info.expiresAt));
    if (info.length === null) headers['Upload-Defer-Length'] = '1';
    else headers['Upload-Length'] = info.length;
    if (info.concat === 'partial') headers['Upload-Concat'] = 'partial';
  } else {
    // A finished upload: its offset is its length, so a client whose last answer was lost
    // learns that it is done.
    const { file } = found;
    metadata = file.tus.metadata;
    headers['Upload-Offset'] = file.size;
    headers['Upload-Length'] = file.size;
    const concat = finalConcatHeader(file, basePath);
    if (concat) headers['Upload-Concat'] = concat;
  }
  const meta = serializeUploadMetadata(metadata);
  if (meta) headers['Upload-Metadata'] = meta;
  answer(exchange, 200, headers);
}
