import type { HandlerContext, StoredFile } from '../handler/handler-types';
import { toStoredFile } from '../handler/stored-file';
import { FileHead } from '../intake/file-head';
import { announceUploaded, judgeContent, judgeFile } from '../intake/judge-file';
import { servedType } from '../intake/served-type';
import { sha256Of } from '../intake/sha256-of';
import type { PartialInfo } from '../storage/resumable-storage';
import { fileOfMetadata } from './tus-protocol';
import type { TusRuntime } from './tus-runtime';

/**
 * The publish step: the rules that need the whole file (a failure drops the partial), the
 * one-step publish under the tus id, then `onUploaded` (a failure removes the file).
 */
export async function publishUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  info: PartialInfo,
  ctx: HandlerContext<F, R>,
  basePath: string,
  /** A final upload of a concatenation: the partial uploads it joined, and its `Upload-Concat`. */
  final?: { parts: string[]; concat: string },
): Promise<StoredFile> {
  const { store, options, rules } = rt;
  const id = info.id;
  const { fields } = fileOfMetadata(info.metadata);
  let proven: string | null = null;
  try {
    if (options.sniff) {
      proven = await judgeContent(await FileHead.of(await store.readPartial(id)), info, rules);
    }
    await judgeFile({ name: info.name, type: proven ?? info.type, size: info.offset }, rules, ctx);
  } catch (error) {
    await rt.dropPartial(id);
    throw error;
  }
  const running = rt.hashes.get(id);
  const sha256 =
    running && running.offset === info.offset
      ? running.hash.digest('hex')
      : await sha256Of(await store.readPartial(id));
  rt.hashes.delete(id);
  const meta = await store.publish(id, {
    name: info.name,
    // The tus `filetype` is the client's word: served as it only when the bytes or the
    // extension agree.
    type: servedType(info.name, info.type, proven),
    sha256,
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(info.auth ? { auth: info.auth } : {}),
    // Kept so HEAD of the finished upload tells what the client created, and so the tus
    // routes know the file for one of theirs.
    tus: { metadata: info.metadata, ...final },
  });
  // The tus id stays the file's id, whatever a custom store answers.
  const stored = toStoredFile({ ...meta, id }, basePath);
  await announceUploaded([stored], ctx, options, rt.storage);
  return stored;
}
