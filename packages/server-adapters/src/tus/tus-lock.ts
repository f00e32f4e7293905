/** Releases a held lock; safe to call more than once. */
export type Release = () => void;

export interface LockTable {
  /**
   * Resolves with a release once the id is free, or `null` when it stayed held for
   * `timeoutMs`. Waiters are served in arrival order.
   */
  acquire(id: string, timeoutMs: number): Promise<Release | null>;
  /** Whether someone holds the id now. */
  isHeld(id: string): boolean;
}

interface Waiter {
  grant: () => void;
}

/**
 * In-process locks per upload id, so requests on one upload never interleave: a PATCH, a
 * HEAD that must see a flushed offset, a DELETE. One process only; several servers sharing a
 * store need a shared lock as well.
 */
export function createLockTable(): LockTable {
  const queues = new Map<string, Waiter[]>();

  function releaser(id: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = queues.get(id);
      const next = queue?.shift();
      if (next) next.grant();
      else queues.delete(id);
    };
  }

  return {
    acquire(id, timeoutMs) {
      const queue = queues.get(id);
      if (!queue) {
        queues.set(id, []);
        return Promise.resolve(releaser(id));
      }
      return new Promise((resolve) => {
        const waiter: Waiter = {
          grant: () => {
            clearTimeout(timer);
            resolve(releaser(id));
          },
        };
        const timer = setTimeout(() => {
          const at = queue.indexOf(waiter);
          if (at !== -1) queue.splice(at, 1);
          resolve(null);
        }, timeoutMs);
        queue.push(waiter);
      });
    },
    isHeld: (id) => queues.has(id),
  };
}
