import { Readable } from 'node:stream';
import { memoryBudget } from './memory-budget';
import { memoryWriter } from './memory-writer';
import { notFoundError } from './not-found';
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

/**
 * Partial tus uploads held in this process's memory, published through the storage's own
 * `begin`/`commit`. For `memoryStorage` and any storage without a resumable side; offsets do
 * not survive a restart.
 */
export function memoryResumable(
  storage: Storage,
  options: MemoryResumableOptions = {},
): ResumableStorage {
  const budget = memoryBudget(options.maxTotalBytes ?? 256 * 1024 * 1024);
  const partials = new Map<string, Partial>();

  function get(id: string): Partial {
    const found = partials.get(id);
    if (!found) throw notFoundError('No such upload');
    return found;
  }

  /** Lets go of a partial and gives its bytes back to the budget. */
  function forget(id: string, partial: Partial): void {
    partials.delete(id);
    budget.give(partial.size);
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
      return memoryWriter({
        budget,
        land(chunks, size) {
          // Deleted meanwhile: the bytes have nowhere to go.
          if (partials.get(id) !== partial) throw notFoundError('No such upload');
          partial.chunks.push(...chunks);
          partial.size += size;
          return partial.size;
        },
      });
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
      forget(id, partial);
      return metadata;
    },

    async deletePartial(id) {
      const partial = partials.get(id);
      if (!partial) return false;
      forget(id, partial);
      return true;
    },

    async listPartials() {
      return [...partials.entries()].map(([id, partial]) => info(id, partial));
    },
  };
}
