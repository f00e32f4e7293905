import { Readable } from 'node:stream';
import { commitSink } from './commit-sink';
import { fileMetadata } from './file-metadata';
import { memoryBudget } from './memory-budget';
import { memoryWriter } from './memory-writer';
import { notFoundError } from './not-found';
import type { ByteRange, FileMetadata, Storage, WriteSink } from './storage';

export interface MemoryStorageOptions {
  /** Refuse to hold more than this many bytes in all. Defaults to 256 MiB. */
  maxTotalBytes?: number;
}

interface Entry {
  meta: FileMetadata;
  data: Buffer;
}

/**
 * Files kept in this process's memory: for tests and small apps. Same contract as
 * `diskStorage`: nothing is visible before `commit`, and `abort` drops every byte.
 */
export function memoryStorage(options: MemoryStorageOptions = {}): Storage {
  const budget = memoryBudget(options.maxTotalBytes ?? 256 * 1024 * 1024);
  const files = new Map<string, Entry>();
  const writing = new Set<string>();

  function entry(id: string): Entry {
    const found = files.get(id);
    if (!found) throw notFoundError('Not found');
    return found;
  }

  return {
    async begin(id: string): Promise<WriteSink> {
      if (files.has(id) || writing.has(id)) throw new Error('Id already in use');
      writing.add(id);
      let data = Buffer.alloc(0);
      const writer = memoryWriter({
        budget,
        land(chunks) {
          writing.delete(id);
          data = Buffer.concat(chunks);
          return data.length;
        },
        drop: () => writing.delete(id),
      });
      return commitSink(id, writer, async (size, meta) => {
        const metadata = fileMetadata(id, size, meta);
        files.set(id, { meta: metadata, data });
        return metadata;
      });
    },

    async stat(id) {
      return files.get(id)?.meta ?? null;
    },

    async createReadStream(id: string, range?: ByteRange) {
      const { data } = entry(id);
      const slice = range ? data.subarray(range.start, range.end + 1) : data;
      return Readable.from([slice], { objectMode: false });
    },

    async delete(id) {
      const found = files.get(id);
      if (!found) return false;
      files.delete(id);
      budget.give(found.data.length);
      return true;
    },

    async list() {
      return [...files.values()].map((e) => e.meta);
    },
  };
}
