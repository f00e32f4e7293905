import { type FileHandle, mkdir, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileMetadata } from './file-metadata';
import type { CommitMetadata, FileMetadata } from './storage';

/** The folder for files being written; one rename moves a file out of it, published. */
export const PARTIAL_DIR = '.partial';

/**
 * A function that makes `directory` (and its parents) once and remembers it did; after a
 * failure it tries again on the next call.
 */
export function directoryMaker(directory: string): () => Promise<unknown> {
  let made: Promise<unknown> | null = null;
  return () => {
    made ??= mkdir(directory, { recursive: true }).catch((error: unknown) => {
      made = null;
      throw error;
    });
    return made;
  };
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The names in `directory`; none when it does not exist (yet). */
export async function readdirOrEmpty(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** Removes a file if it is there; `true` when it was. */
export async function unlinkQuietly(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function writeAll(
  handle: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await handle.write(buffer, done, length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes the renames themselves durable; not every platform can open a directory, so best effort. */
async function syncDirectory(directory: string): Promise<void> {
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

export interface PublishOnDisk {
  directory: string;
  id: string;
  /** The complete (and, with `sync`, fsynced) bytes in the partial folder. */
  partialPath: string;
  size: number;
  meta: CommitMetadata;
  sync: boolean;
}

/**
 * Publishes a complete partial file as `<directory>/<id>` with `<directory>/<id>.json`. The
 * metadata is written aside first and renamed last: its arrival is the moment of
 * publication, since readers look for it first. Multipart commits and finished tus uploads
 * both end here, so a file looks the same however it arrived.
 */
export async function publishOnDisk(target: PublishOnDisk): Promise<FileMetadata> {
  const { directory, id, meta, sync } = target;
  const metadata = fileMetadata(id, target.size, meta);
  const metaTemp = join(directory, PARTIAL_DIR, `${id}.json`);
  const finalPath = join(directory, id);
  let moved = false;
  try {
    await writeFile(metaTemp, JSON.stringify(metadata), { flush: sync });
    await rename(target.partialPath, finalPath);
    moved = true;
    await rename(metaTemp, join(directory, `${id}.json`));
  } catch (error) {
    await unlinkQuietly(metaTemp);
    // Bytes without their metadata are never served: they would only be litter.
    if (moved) await unlinkQuietly(finalPath);
    throw error;
  }
  if (sync) await syncDirectory(directory);
  return metadata;
}
