import { createHash } from 'node:crypto';
import { assertFileValid } from '../handler/errors';
import type { HandlerContext, StoredFile } from '../handler/handler-types';
import { toStoredFile } from '../intake/receive-upload';
import { SNIFF_BYTES, sniffType } from '../intake/sniff-type';
import type { PartialInfo } from '../storage/resumable-storage';
import { fileOfMetadata } from './tus-protocol';
import type { TusRuntime } from './tus-runtime';

async function digestOf(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

async function headOf(
  stream: AsyncIterable<Uint8Array> & { destroy?: () => void },
  max: number,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= max) break;
  }
  return Buffer.concat(parts).subarray(0, max);
}

/**
 * The publish step: the rules that need the whole file (a failure drops the partial), the
 * one-step publish under the tus id, then `onUploaded` (a failure removes the file).
 */
export async function publishUpload<F>(
  rt: TusRuntime<F>,
  info: PartialInfo,
  ctx: HandlerContext<F>,
  basePath: string,
): Promise<StoredFile> {
  const { store, options, rules } = rt;
  const id = info.id;
  const { fields } = fileOfMetadata(info.metadata);
  let type = info.type;
  try {
    if (options.sniff) {
      const head = await headOf(await store.readPartial(id), SNIFF_BYTES);
      type = (await sniffType(head, info, rules.accept)) ?? type;
    }
    await assertFileValid({ name: info.name, type, size: info.offset }, rules);
  } catch (error) {
    await rt.dropPartial(id);
    throw error;
  }
  const running = rt.hashes.get(id);
  const sha256 =
    running && running.offset === info.offset
      ? running.hash.digest('hex')
      : await digestOf(await store.readPartial(id));
  rt.hashes.delete(id);
  const meta = await store.publish(id, {
    name: info.name,
    type,
    sha256,
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  });
  // The tus id stays the file's id, whatever a custom store answers.
  const stored = toStoredFile({ ...meta, id }, basePath);
  if (options.onUploaded) {
    try {
      await options.onUploaded(stored, ctx);
    } catch (error) {
      await rt.storage.delete(id).catch(() => {});
      throw error;
    }
  }
  return stored;
}
