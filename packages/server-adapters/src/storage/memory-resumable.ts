import { Readable } from 'node:stream';
import type {
  PartialInfo,
  PartialState,
  PartialWriter,
  ResumableStorage,
} from './resumable-storage';
import type { CommitMetadata, FileMetadata, Storage } from './storage';

export interface MemoryResumableOptions {
  /** Refuse to hold more than this many partial bytes in all. Defaults to 256 MiB. */
  maxTotalBytes?: number;
}

interface Partial {
  state: PartialState;
  chunks: Buffer[];
  size: number;
}

function notFound(): Error {
  return Object.assign(new Error('No such upload'), { code: 'ENOENT' });
}

/**
 * Partial tus uploads held in this process's memory, published through the storage's own
 * `begin`/`commit`. For `memoryStorage` and any storage without a resumable side; offsets do
 * not survive a restart.
 */
export function memoryResumable(
  storage: Storage,
  options: MemoryResumableOptions = {},
): ResumableStorage {
  const maxTotal = options.maxTotalBytes ?? 256 * 1024 * 1024;
  const partials = new Map<string, Partial>();
  let totalBytes = 0;

  function get(id: string): Partial {
    const found = partials.get(id);
    if (!found) throw notFound();
    return found;
  }

  function info(id: string, partial: Partial): PartialInfo {
    return { ...partial.state, id, offset: partial.size };
  }

  return {
    async createPartial(id, state) {
      if (partials.has(id)) throw new Error('Id already in use');
      partials.set(id, { state: { ...state }, chunks: [], size: 0 });
    },

    async getPartialInfo(id) {
      const partial = partials.get(id);
      return partial ? info(id, partial) : null;
    },

    async updatePartial(id, patch) {
      const partial = get(id);
      partial.state = { ...partial.state, ...patch };
    },

    async appendAt(id, offset): Promise<PartialWriter> {
      const partial = get(id);
      if (partial.size !== offset)
        throw new Error(`Offset ${offset} is not the end (${partial.size})`);
      const pending: Buffer[] = [];
      let written = 0;
      let finished = false;
      const release = () => {
        totalBytes -= written;
        pending.length = 0;
      };
      return {
        get bytesWritten() {
          return written;
        },
        write(chunk) {
          if (finished) return Promise.reject(new Error('write after close'));
          if (totalBytes + chunk.length > maxTotal)
            return Promise.reject(new Error('Memory is full'));
          pending.push(Buffer.from(chunk));
          written += chunk.length;
          totalBytes += chunk.length;
          return undefined;
        },
        async close() {
          if (finished) throw new Error('close after close');
          finished = true;
          // Deleted meanwhile: the bytes have nowhere to go.
          if (partials.get(id) !== partial) {
            release();
            throw notFound();
          }
          partial.chunks.push(...pending);
          partial.size += written;
          return partial.size;
        },
        async discard() {
          if (finished) return;
          finished = true;
          release();
        },
      };
    },

    async readPartial(id) {
      return Readable.from(get(id).chunks, { objectMode: false });
    },

    async publish(id: string, meta: CommitMetadata): Promise<FileMetadata> {
      const partial = get(id);
      const sink = await storage.begin(id);
      try {
        for (const chunk of partial.chunks) {
          const wait = sink.write(chunk);
          if (wait) await wait;
        }
      } catch (error) {
        await sink.abort();
        throw error;
      }
      const metadata = await sink.commit(meta);
      partials.delete(id);
      totalBytes -= partial.size;
      return metadata;
    },

    async deletePartial(id) {
      const partial = partials.get(id);
      if (!partial) return false;
      partials.delete(id);
      totalBytes -= partial.size;
      return true;
    },

    async listPartials() {
      return [...partials.entries()].map(([id, partial]) => info(id, partial));
    },
  };
}
