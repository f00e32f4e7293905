import { constants } from 'node:buffer';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { directorySync } from './directory-sync';
import { isNotFound } from './not-found';
import { type WriteBufferPool, writeBufferPool } from './write-buffer-pool';

/** The folder for files being written; one rename moves a file out of it, published. */
export const PARTIAL_DIR = '.partial';

/**
 * Each write buffer's default size. 256 KiB, not more: a buffer the kernel copies from while
 * it is still in the core's cache costs about half the system time of a 1 MiB one (measured
 * on a 512 MiB upload), and under many uploads at once every open file holds two of them,
 * fresh memory each (page faults, resident size).
 */
export const DEFAULT_WRITE_BUFFER_BYTES = 256 * 1024;

const { MAX_LENGTH } = constants;

/** What `diskStorage` and `diskResumable` are both given. */
export interface DiskOptions {
  directory: string;
  writeBufferSize?: number;
  fsync?: boolean;
}

/** Disk options resolved once, with the defaults both sides of a disk store share. */
export interface DiskLayout {
  /** Absolute. */
  directory: string;
  /** `<directory>/.partial`, where every byte is written before it is published. */
  partialDir: string;
  /** The write buffers of this store's files (`writeBufferSize` each), shared between them. */
  buffers: WriteBufferPool;
  sync: boolean;
  /** The fsync of `directory` after publishing renames, shared by publishes at the same moment. */
  syncDirectory: () => Promise<void>;
  /**
   * Runs `work`, which makes something in the partial folder: the folder (and its parents)
   * is made on first use, and made again when `work` finds it gone (someone removed it while
   * the server runs), then `work` runs once more.
   */
  inPartialDir: <T>(work: () => Promise<T>) => Promise<T>;
}

export function diskLayout(options: DiskOptions): DiskLayout {
  const directory = resolve(options.directory);
  const partialDir = join(directory, PARTIAL_DIR);
  return {
    directory,
    partialDir,
    buffers: writeBufferPool(writeBufferBytes(options.writeBufferSize)),
    sync: options.fsync ?? true,
    syncDirectory: directorySync(directory),
    inPartialDir: partialDirUser(partialDir),
  };
}

/**
 * `writeBufferSize`, checked when the store is made: 0 made the first write loop forever (no
 * timer ran again), and a negative or fractional size failed every upload instead.
 */
function writeBufferBytes(size: number | undefined): number {
  if (size === undefined) return DEFAULT_WRITE_BUFFER_BYTES;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_LENGTH) {
    throw new RangeError(
      `writeBufferSize must be a whole number of bytes from 1 to ${MAX_LENGTH}, not ${size}`,
    );
  }
  return size;
}

function partialDirUser(partialDir: string): <T>(work: () => Promise<T>) => Promise<T> {
  const ensure = directoryMaker(partialDir);
  return async (work) => {
    await ensure();
    try {
      return await work();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await mkdir(partialDir, { recursive: true });
      return work();
    }
  };
}

/**
 * A function that makes `directory` (and its parents) once and remembers it did; after a
 * failure it tries again on the next call.
 */
function directoryMaker(directory: string): () => Promise<unknown> {
  let made: Promise<unknown> | null = null;
  return () => {
    made ??= mkdir(directory, { recursive: true }).catch((error: unknown) => {
      made = null;
      throw error;
    });
    return made;
  };
}
