import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { commitSink } from './commit-sink';
import { dropAbandonedPartials } from './disk-abandoned';
import {
  dropUnpublished,
  listBySuffix,
  publishOnDisk,
  unlinkQuietly,
  writeMetadataAside,
} from './disk-files';
import { diskLayout } from './disk-layout';
import { diskResumable } from './disk-resumable';
import { DiskWriter } from './disk-writer';
import { isValidFileId } from './file-id';
import { fileMetadata } from './file-metadata';
import { cachedJsonReader } from './metadata-cache';
import { notFoundError } from './not-found';
import { openFile } from './open-file';
import { sharedDescriptors } from './shared-descriptors';
import type { ByteRange, CommitMetadata, FileMetadata, Storage, WriteSink } from './storage';

export { PARTIAL_DIR } from './disk-layout';

export interface DiskStorageOptions {
  /** Where files live; created when missing. Partial files go to `<directory>/.partial/`. */
  directory: string;
  /**
   * Bytes gathered before each disk write. Defaults to 256 KiB: small writes are several
   * times slower on common disks, larger ones leave the cache before the kernel copies
   * them, and two buffers per open file bound the memory. A whole number from 1: anything
   * else throws a `RangeError` when the store is made.
   */
  writeBufferSize?: number;
  /** `fsync` each file before it is published. Defaults to `true`. */
  fsync?: boolean;
}

/**
 * Files on the local disk: `<directory>/<id>` with its metadata in `<directory>/<id>.json`.
 * Bytes are written to `<directory>/.partial/<id>`, fsynced, and published by renames on
 * the same filesystem, so a reader never sees half a file and an abort leaves nothing.
 */
export function diskStorage(options: DiskStorageOptions): Storage {
  const { directory, partialDir, buffers, sync, syncDirectory, inPartialDir } = diskLayout(options);
  const dataPath = (id: string) => join(directory, id);
  const metaPath = (id: string) => join(directory, `${id}.json`);
  // Files this process is writing: never abandoned, however long their client takes.
  const writing = new Set<string>();

  // Published bytes never change for an id: their descriptors stay open between requests,
  // until the file is deleted or its metadata is seen to change.
  const descriptors = sharedDescriptors();
  const metadata = cachedJsonReader(1024, (path) =>
    descriptors.forget(path.slice(0, -'.json'.length)),
  );

  async function stat(id: string): Promise<FileMetadata | null> {
    return isValidFileId(id) ? metadata.read<FileMetadata>(metaPath(id)) : null;
  }

  return {
    resumable: diskResumable(options),

    async begin(id: string): Promise<WriteSink> {
      if (!isValidFileId(id)) throw new Error('Invalid file id');
      const partialPath = join(partialDir, id);
      writing.add(id);
      // Not awaited: the first bytes are buffered while the file is created, so a request of
      // many small files is not read one create at a time. 'wx': an id is never reused, and
      // never follows a planted link.
      const handle = inPartialDir(() => openFile(partialPath, 'wx'));
      const writer = new DiskWriter(handle, {
        start: 0,
        buffers,
        sync,
        drop: () => dropUnpublished(directory, id).finally(() => writing.delete(id)),
      });
      const publish = (size: number, meta: CommitMetadata, aside?: FileMetadata) =>
        publishOnDisk({
          directory,
          id,
          partialPath,
          size,
          meta,
          aside,
          sync,
          syncDirectory,
        }).finally(() => writing.delete(id));
      // Once the bytes are closed, their metadata is written aside too, while the rest of the
      // request streams in: a commit with the same metadata is then the renames alone.
      return commitSink(id, writer, publish, {
        async prepare(size, meta) {
          const stored = fileMetadata(id, size, meta);
          await writeMetadataAside(directory, stored, sync);
          return stored;
        },
      });
    },

    stat,

    async createReadStream(id: string, range?: ByteRange): Promise<Readable> {
      if (!isValidFileId(id)) throw notFoundError('Not found');
      return descriptors.createReadStream(dataPath(id), 256 * 1024, range);
    },

    async delete(id: string): Promise<boolean> {
      if (!isValidFileId(id)) return false;
      metadata.forget(metaPath(id));
      descriptors.forget(dataPath(id));
      if (!(await unlinkQuietly(metaPath(id)))) return false;
      await unlinkQuietly(dataPath(id));
      return true;
    },

    list: () => listBySuffix(directory, '.json', stat),

    // What a process killed mid-write left in `.partial/`; the tus sweep calls it, and runs
    // once when a handler starts.
    dropAbandoned: (before) => dropAbandonedPartials(partialDir, before, (id) => writing.has(id)),
  };
}
