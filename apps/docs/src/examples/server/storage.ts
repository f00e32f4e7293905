import type { Readable } from 'node:stream';
import {
  type CommitMetadata,
  diskStorage,
  type FileMetadata,
  memoryStorage,
  type Storage,
} from '@updown/server-adapters';

// Files in a folder; partial files in `uploads/.partial/` until one rename publishes them.
export const disk = diskStorage({
  directory: './uploads',
  writeBufferSize: 256 * 1024, // the default
  fsync: true,
});

// Files in this process's memory, for tests and small apps.
export const memory = memoryStorage({ maxTotalBytes: 64 * 1024 * 1024 });

// Your own: wrap one to log, or implement the five methods for another store.
export function logged(inner: Storage): Storage {
  return {
    async begin(id) {
      const sink = await inner.begin(id);
      return {
        id: sink.id,
        get bytesWritten() {
          return sink.bytesWritten;
        },
        write: (chunk) => sink.write(chunk),
        async commit(meta: CommitMetadata): Promise<FileMetadata> {
          const stored = await sink.commit(meta);
          console.log('stored', stored.id, stored.name, stored.size);
          return stored;
        },
        abort: () => sink.abort(),
      };
    },
    stat: (id) => inner.stat(id),
    createReadStream: (id, range): Promise<Readable> => inner.createReadStream(id, range),
    delete: (id) => inner.delete(id),
  };
}
