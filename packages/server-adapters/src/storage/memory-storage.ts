import { Readable } from 'node:stream';
import type { ByteRange, CommitMetadata, FileMetadata, Storage, WriteSink } from './storage';

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
  const maxTotal = options.maxTotalBytes ?? 256 * 1024 * 1024;
  const files = new Map<string, Entry>();
  const partials = new Set<string>();
  let totalBytes = 0;

  function entry(id: string): Entry {
    const found = files.get(id);
    if (!found) throw Object.assign(new Error('Not found'), { code: 'ENOENT' });
    return found;
  }

  return {
    async begin(id: string): Promise<WriteSink> {
      if (files.has(id) || partials.has(id)) throw new Error('Id already in use');
      partials.add(id);
      const chunks: Buffer[] = [];
      let done = false;
      let written = 0;
      const sink: WriteSink = {
        id,
        get bytesWritten() {
          return written;
        },
        write(chunk) {
          if (done) return Promise.reject(new Error('write after commit or abort'));
          if (totalBytes + chunk.length > maxTotal) {
            return Promise.reject(new Error('Memory storage is full'));
          }
          chunks.push(Buffer.from(chunk));
          totalBytes += chunk.length;
          written += chunk.length;
          return undefined;
        },
        async commit(meta: CommitMetadata) {
          if (done) throw new Error('commit after commit or abort');
          done = true;
          partials.delete(id);
          const data = Buffer.concat(chunks);
          chunks.length = 0;
          const metadata: FileMetadata = {
            id,
            name: meta.name,
            type: meta.type,
            size: data.length,
            sha256: meta.sha256,
            createdAt: Date.now(),
            ...(meta.fields ? { fields: meta.fields } : {}),
          };
          files.set(id, { meta: metadata, data });
          return metadata;
        },
        async abort() {
          if (done) return;
          done = true;
          partials.delete(id);
          for (const c of chunks) totalBytes -= c.length;
          chunks.length = 0;
        },
      };
      return sink;
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
      totalBytes -= found.data.length;
      return true;
    },

    async list() {
      return [...files.values()].map((e) => e.meta);
    },
  };
}
