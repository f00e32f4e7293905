import type { PartialWriter } from './resumable-storage';
import type { CommitMetadata, FileMetadata, WriteSink } from './storage';

/** What a store does as soon as a file's last byte is in (`WriteSink.end`). */
export interface EarlyClose<Prepared> {
  /**
   * Once the last byte is in (while the writer closes): the work of the publish that can be
   * done ahead of it, for the metadata as it stands and the bytes written (diskStorage writes
   * the metadata aside). Its failure is only a lost head start: the commit does the work
   * itself, as it does when the closed size is not `size`.
   */
  prepare(size: number, meta: CommitMetadata): Promise<Prepared>;
}

/** The same metadata: the commit can use what `end` prepared. */
function sameMeta(a: CommitMetadata, b: CommitMetadata): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The `WriteSink` of every shipped storage: a writer of the temporary object, then the step
 * that publishes it. When closing or publishing fails the writer drops the bytes, so a failed
 * commit leaves nothing; once published, `abort` has nothing left to drop. With `early`, the
 * sink has `end`: the writer is closed and the publish prepared then, while the rest of the
 * request streams in, and `publish` is handed what was prepared when the commit's metadata is
 * the same. Only for stores whose closed, prepared object is still invisible.
 */
export function commitSink<Prepared = never>(
  id: string,
  writer: PartialWriter,
  publish: (size: number, meta: CommitMetadata, prepared?: Prepared) => Promise<FileMetadata>,
  early?: EarlyClose<Prepared>,
): WriteSink {
  let published = false;
  let closed: Promise<number> | null = null;
  // `end`'s close and its `prepare`: settled before a commit publishes or an abort drops,
  // so nothing it makes is left behind.
  let ending: Promise<{ meta: CommitMetadata; size: number; prepared: Prepared } | null> | null =
    null;
  const close = () => {
    closed ??= writer.close();
    return closed;
  };
  const sink: WriteSink = {
    id,
    get bytesWritten() {
      return writer.bytesWritten;
    },
    write: (chunk) => writer.write(chunk),
    async commit(meta) {
      if (published) throw new Error('commit after commit');
      try {
        const size = await close();
        const ended = await ending?.catch(() => null);
        const prepared =
          ended && ended.size === size && sameMeta(ended.meta, meta) ? ended.prepared : undefined;
        const metadata = await publish(size, meta, prepared);
        published = true;
        return metadata;
      } catch (error) {
        // What `prepare` makes is dropped with the bytes only once it is made.
        await ending?.catch(() => null);
        await writer.discard();
        throw error;
      }
    },
    async abort() {
      if (published) return;
      await ending?.catch(() => null);
      await writer.discard();
    },
  };
  if (early) {
    sink.end = async (meta) => {
      ending ??= (async () => {
        // Every byte is in the writer, so its size is known: the publish is prepared while
        // the bytes are flushed, synced and closed, not after (both mostly wait on the disk).
        const size = writer.bytesWritten;
        const closing = close();
        closing.catch(() => {}); // awaited below, once the preparation settled
        const prepared = await early.prepare(size, meta).then(
          (made) => ({ meta, size, prepared: made }),
          () => null,
        );
        await closing;
        return prepared;
      })();
      await ending;
    };
  }
  return sink;
}
