/** Items sending at once when the option is not set. */
export const DEFAULT_CONCURRENCY = 3;

/** Slots a `concurrency` option allows: at least one, so a bad value never stalls the queue. */
export function slotLimit(concurrency: number | undefined): number {
  return Math.max(1, concurrency ?? DEFAULT_CONCURRENCY);
}

export interface UploadQueue<K> {
  /** Puts `key` in line for a slot; a key already waiting keeps its place. */
  enqueue(key: K): void;
  /**
   * Gives free slots (of `limit`) to waiting keys in the order they came, calling `start` for
   * each. Keys that `startable` refuses (removed, no longer queued) are dropped. A `start`
   * that frees a slot at once (a transport that fails synchronously) is caught up by the
   * same loop, never by recursion.
   */
  fill(limit: number, startable: (key: K) => boolean, start: (key: K) => void): void;
  /** Frees the slot `key` holds, if it holds one. */
  release(key: K): void;
  /** Slots held: items sending, or paused (a paused item keeps its slot). */
  readonly inUse: number;
  /** Forgets every waiting key; held slots stay held until released. */
  clear(): void;
}

/** A first-in first-out line for upload slots, with lazy removal: stale keys are skipped when reached. */
export function createUploadQueue<K>(): UploadQueue<K> {
  let line: K[] = [];
  let head = 0;
  const waiting = new Set<K>();
  const holding = new Set<K>();
  let filling = false;

  function fill(limit: number, startable: (key: K) => boolean, start: (key: K) => void): void {
    if (filling) return;
    filling = true;
    try {
      while (holding.size < limit && head < line.length) {
        const key = line[head++]!;
        waiting.delete(key);
        if (!startable(key)) continue;
        holding.add(key);
        start(key);
      }
      // Drop the consumed front now and then, so the line does not grow for ever.
      if (head > 1024 && head * 2 > line.length) {
        line = line.slice(head);
        head = 0;
      }
    } finally {
      filling = false;
    }
  }

  return {
    enqueue(key) {
      if (waiting.has(key)) return;
      waiting.add(key);
      line.push(key);
    },
    fill,
    release(key) {
      holding.delete(key);
    },
    get inUse() {
      return holding.size;
    },
    clear() {
      line = [];
      head = 0;
      waiting.clear();
    },
  };
}
