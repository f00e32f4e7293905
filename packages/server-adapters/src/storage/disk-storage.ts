import { createReadStream as fsCreateReadStream } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isValidFileId } from '../intake/file-id';
import { commitSink } from './commit-sink';
import {
  directoryMaker,
  isNotFound,
  PARTIAL_DIR,
  publishOnDisk,
  readdirOrEmpty,
  unlinkQuietly,
} from './disk-files';
import { diskResumable } from './disk-resumable';
import { DiskWriter } from './disk-writer';
import type { ByteRange, FileMetadata, Storage, WriteSink } from './storage';

export { PARTIAL_DIR } from './disk-files';

export interface DiskStorageOptions {
  /** Where files live; created when missing. Partial files go to `<directory>/.partial/`. */
  directory: string;
  /**
   * Bytes gathered before each disk write. Defaults to 1 MiB: small writes are several
   * times slower on common disks, and two buffers per upload bound the memory.
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
  const directory = resolve(options.directory);
  const partialDir = join(directory, PARTIAL_DIR);
  const bufferSize = options.writeBufferSize ?? 1024 * 1024;
  const sync = options.fsync ?? true;
  const ensureDirs = directoryMaker(partialDir);
  const dataPath = (id: string) => join(directory, id);
  const metaPath = (id: string) => join(directory, `${id}.json`);

  async function stat(id: string): Promise<FileMetadata | null> {
    if (!isValidFileId(id)) return null;
    try {
      return JSON.parse(await readFile(metaPath(id), 'utf8')) as FileMetadata;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    resumable: diskResumable({ directory, writeBufferSize: bufferSize, fsync: sync }),

    async begin(id: string): Promise<WriteSink> {
      if (!isValidFileId(id)) throw new Error('Invalid file id');
      await ensureDirs();
      const partial = join(partialDir, id);
      // 'wx': an id is never reused, and never follows a planted link.
      const handle = await open(partial, 'wx');
      const writer = new DiskWriter(handle, {
        start: 0,
        bufferSize,
        sync,
        drop: async () => {
          await unlinkQuietly(partial);
          await unlinkQuietly(join(partialDir, `${id}.json`));
        },
      });
      return commitSink(id, writer, (size, meta) =>
        publishOnDisk({ directory, id, partialPath: partial, size, meta, sync }),
      );
    },

    stat,

    async createReadStream(id: string, range?: ByteRange): Promise<Readable> {
      if (!isValidFileId(id)) throw Object.assign(new Error('Not found'), { code: 'ENOENT' });
      // Opened first so a missing file fails here, before any header is sent.
      const handle = await open(dataPath(id), 'r');
      return fsCreateReadStream('', {
        fd: handle,
        highWaterMark: 256 * 1024,
        ...(range ? { start: range.start, end: range.end } : {}),
      });
    },

    async delete(id: string): Promise<boolean> {
      if (!isValidFileId(id)) return false;
      try {
        await unlink(metaPath(id));
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      await unlinkQuietly(dataPath(id));
      return true;
    },

    async list(): Promise<FileMetadata[]> {
      const names = await readdirOrEmpty(directory);
      const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
      const all = await Promise.all(ids.map(stat));
      return all.filter((m): m is FileMetadata => m !== null);
    },
  };
}
