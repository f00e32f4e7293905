import type { MemoryBudget } from './memory-budget';
import type { PartialWriter } from './resumable-storage';

export interface MemoryWriterOptions {
  /** What the bytes are counted against until they are dropped. */
  budget: MemoryBudget;
  /**
   * Takes the bytes on close; what it returns, `close` resolves with. When it throws, the
   * bytes had nowhere to go and are given back to the budget.
   */
  land: (chunks: Buffer[], size: number) => number;
  /** Runs on every `discard`. */
  drop?: () => void;
}

/**
 * Bytes gathered in memory until `close` hands them to `land`: a `memoryStorage` file
 * being written and a tus PATCH of a partial held in memory alike. Once landed they belong
 * to where they went, so a later `discard` leaves them.
 */
export function memoryWriter({ budget, land, drop }: MemoryWriterOptions): PartialWriter {
  let chunks: Buffer[] = [];
  let written = 0;
  let finished = false;
  const release = () => {
    budget.give(written);
    chunks = [];
  };
  return {
    get bytesWritten() {
      return written;
    },
    write(chunk) {
      if (finished) return Promise.reject(new Error('write after close or discard'));
      if (!budget.take(chunk.length)) return Promise.reject(new Error('Memory storage is full'));
      chunks.push(Buffer.from(chunk));
      written += chunk.length;
      return undefined;
    },
    async close() {
      if (finished) throw new Error('close after close or discard');
      finished = true;
      try {
        return land(chunks, written);
      } catch (error) {
        release();
        throw error;
      } finally {
        chunks = [];
      }
    },
    async discard() {
      if (!finished) {
        finished = true;
        release();
      }
      drop?.();
    },
  };
}
