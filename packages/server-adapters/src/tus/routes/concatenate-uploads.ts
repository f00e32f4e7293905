import { createHash } from 'node:crypto';
import { HandlerError } from '../../handler/errors';
import { judgeSize } from '../../intake/judge-file';
import { concatenationId, isValidFileId } from '../../storage/file-id';
import type { PartialInfo, PartialState } from '../../storage/resumable-storage';
import { answer } from '../tus-answer';
import { decodeSegment } from '../tus-protocol';
import { publishUpload } from '../tus-publish';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** The partial uploads a final one names, each of them complete, in order. */
async function completeParts<F, R extends object>(
  rt: TusRuntime<F, R>,
  ids: string[],
): Promise<PartialInfo[]> {
  const parts: PartialInfo[] = [];
  for (const partId of ids) {
    const info = await rt.liveUpload(partId).catch(() => null);
    if (info?.concat !== 'partial') {
      throw new HandlerError(
        'malformed-request',
        'Upload-Concat names an upload that is not a partial one',
      );
    }
    if (info.length === null || info.offset !== info.length) {
      throw new HandlerError('malformed-request', 'A partial upload is not complete yet');
    }
    parts.push(info);
  }
  return parts;
}

async function removeParts<F, R extends object>(
  rt: TusRuntime<F, R>,
  ids: string[],
): Promise<void> {
  for (const partId of ids) await rt.dropPartial(partId).catch(() => false);
}

/**
 * `POST /tus` with `Upload-Concat: final;…`: the partial uploads, each complete, joined in
 * order into a new upload that is published at once; the partials are removed. Its id comes
 * from the pieces' ids, so a retry after a lost answer gets the same answer.
 */
export async function concatenateUploads<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange, ctx, basePath, auth }: TusCall<F, R>,
  file: {
    urls: string[];
    /** `Upload-Concat` as received, which HEAD of the final upload says again. */
    concat: string;
    metadata: Record<string, string>;
    name: string;
    type: string;
  },
): Promise<void> {
  const { store, storage } = rt;
  const ids = file.urls.map(
    (url) => decodeSegment(url.split('?')[0]!.split('/').pop() ?? '') ?? '',
  );
  if (ids.length === 0 || !ids.every(isValidFileId)) {
    throw new HandlerError('malformed-request', 'Upload-Concat names no partial uploads');
  }
  // One small partial named a thousand times would be a file a thousand times its size.
  if (new Set(ids).size !== ids.length) {
    throw new HandlerError('malformed-request', 'Upload-Concat names a partial upload twice');
  }
  const id = concatenationId(ids);
  ctx.id = id;
  const total = await rt.withLock(id, async () => {
    // Joined already: the answer to an earlier try was lost. The same answer again.
    const joined = await storage.stat(id);
    if (joined) {
      await removeParts(rt, ids);
      return joined.size;
    }
    const parts = await completeParts(rt, ids);
    const size = parts.reduce((sum, part) => sum + part.offset, 0);
    rt.checkLength(size);
    judgeSize(size, rt.rules);
    const state: PartialState = {
      length: size,
      metadata: { ...file.metadata },
      name: file.name,
      type: file.type,
      createdAt: rt.now(),
      expiresAt: null,
      ...(auth ? { auth } : {}),
    };
    // What a try that died half way left behind.
    await rt.dropPartial(id).catch(() => false);
    await store.createPartial(id, state);
    const hash = createHash('sha256');
    try {
      const writer = await store.appendAt(id, 0);
      try {
        for (const part of parts) {
          for await (const chunk of await store.readPartial(part.id)) {
            hash.update(chunk as Uint8Array);
            const wait = writer.write(chunk as Uint8Array);
            if (wait) await wait;
          }
        }
        await writer.close();
      } catch (failure) {
        await writer.discard().catch(() => {});
        throw failure;
      }
      rt.hashes.set(id, { hash, offset: size });
      await publishUpload(rt, { ...state, id, offset: size }, ctx, basePath, {
        parts: ids,
        concat: file.concat,
      });
    } catch (failure) {
      await rt.dropPartial(id).catch(() => false);
      throw failure;
    }
    await removeParts(rt, ids);
    return size;
  });
  answer(exchange, 201, { Location: `${basePath}/tus/${id}`, 'Upload-Offset': total });
}
