/**
 * Runs at most `limit` of the tasks given to it at once, the rest in the order they came.
 *
 * A create in one folder holds that folder's lock while the filesystem picks an inode (ext4
 * without a journal looks past every inode freed in the last minute, ~1 ms a create after a
 * thousand deletions), so a thousand creates handed to libuv's four threads at once still run
 * one at a time, the waiting threads spinning on the lock (measured: more system time, no
 * less wall time), and every other file operation queued behind them.
 */
export function createLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = (): Promise<T> => {
      running += 1;
      let started: Promise<T>;
      try {
        started = task();
      } catch (error) {
        started = Promise.reject(error);
      }
      return started.finally(next);
    };
    if (running < limit) return run();
    return new Promise<T>((resolve, reject) => {
      waiting.push(() => run().then(resolve, reject));
    });
  };
}
