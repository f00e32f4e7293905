import { open } from 'node:fs/promises';

/** Makes the renames into `directory` durable; not every platform can open a directory, so best effort. */
async function fsyncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the file itself was synced before the rename.
  }
}

/**
 * An fsync of `directory` that callers at the same moment share (a group commit): each
 * caller's promise resolves after an fsync that began after the call, so what it renamed
 * into the folder before calling is durable, yet a thousand files published together cost a
 * few fsyncs of the folder instead of a thousand (each one a journal commit).
 */
export function directorySync(directory: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    running = fsyncDirectory(directory).finally(() => {
      running = null;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    // The fsync in flight may have begun before this caller's rename: wait for the next,
    // which begins once it ends and serves everyone who calls until then.
    next ??= running.then(() => {
      next = null;
      return start();
    });
    return next;
  };
}
