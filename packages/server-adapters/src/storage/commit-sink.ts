import type { PartialWriter } from './resumable-storage';
import type { CommitMetadata, FileMetadata, WriteSink } from './storage';

/**
 * The `WriteSink` of every shipped storage: a writer of the temporary object, then the step
 * that publishes it. When closing or publishing fails the writer drops the bytes, so a failed
 * commit leaves nothing; once published, `abort` has nothing left to drop.
 */
export function commitSink(
  id: string,
  writer: PartialWriter,
  publish: (size: number, meta: CommitMetadata) => Promise<FileMetadata>,
): WriteSink {
  let published = false;
  return {
    id,
    get bytesWritten() {
      return writer.bytesWritten;
    },
    write: (chunk) => writer.write(chunk),
    async commit(meta) {
      if (published) throw new Error('commit after commit');
      try {
        const metadata = await publish(await writer.close(), meta);
        published = true;
        return metadata;
      } catch (error) {
        await writer.discard();
        throw error;
      }
    },
    async abort() {
      if (!published) await writer.discard();
    },
  };
}
