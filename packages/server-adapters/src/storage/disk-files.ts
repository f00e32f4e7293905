import {
  close as closeFd,
  createReadStream,
  open as openFd,
  rename as renameFile,
  writeFile,
} from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PARTIAL_DIR } from './disk-layout';
import { fileMetadata } from './file-metadata';
import { isNotFound } from './not-found';
import type { WritableFile } from './open-file';
import type { ByteRange, CommitMetadata, FileMetadata } from './storage';

/** What `work` resolves with, or `null` when it failed because a path was not there. */
export async function unlessMissing<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Removes a file if it is there; `true` when it was. */
export async function unlinkQuietly(path: string): Promise<boolean> {
  return (await unlessMissing(unlink(path).then(() => true))) ?? false;
}

/** The parsed JSON in `path`, or `null` when there is no such file. */
export async function readJson<T>(path: string): Promise<T | null> {
  const text = await unlessMissing(readFile(path, 'utf8'));
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * `read(id)` for every `<id><suffix>` in `directory` (none when the folder is not there yet),
 * leaving out the ones `read` finds gone.
 */
export async function listBySuffix<T>(
  directory: string,
  suffix: string,
  read: (id: string) => Promise<T | null>,
): Promise<T[]> {
  const names = (await unlessMissing(readdir(directory))) ?? [];
  const ids = names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length));
  const all = await Promise.all(ids.map(read));
  return all.filter((item): item is Awaited<T> => item !== null);
}

/**
 * A stream of the file at `path`, whole or one inclusive range. Opened first, so a missing
 * file fails here, before an answer's headers are sent.
 */
export async function openReadStream(
  path: string,
  highWaterMark: number,
  range?: ByteRange,
): Promise<Readable> {
  // A plain descriptor, not a FileHandle: the stream's reads and its close are then plain
  // callbacks, a third cheaper per small range than the promise machinery of a FileHandle.
  const fd = await new Promise<number>((resolve, reject) => {
    openFd(path, 'r', (error, opened) => (error ? reject(error) : resolve(opened)));
  });
  const stream = createReadStream('', {
    fd,
    highWaterMark,
    ...(range ? { start: range.start, end: range.end } : {}),
  });
  // What a FileHandle would do: a stream dropped unread and undestroyed (a runtime that never
  // pulled nor cancelled a Response body) closes its descriptor when it is collected.
  unclosedStreams.register(stream, fd, stream);
  stream.once('close', () => unclosedStreams.unregister(stream));
  return stream;
}

const unclosedStreams = new FinalizationRegistry<number>((fd) => closeFd(fd, () => {}));

export async function writeAll(
  handle: WritableFile,
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

/** Where `publishOnDisk` writes a file's metadata before the rename that publishes it. */
function metadataAside(directory: string, id: string): string {
  return join(directory, PARTIAL_DIR, `${id}.json`);
}

/** Removes what a file not yet published has on the disk: its bytes and its metadata aside. */
export async function dropUnpublished(directory: string, id: string): Promise<void> {
  await unlinkQuietly(join(directory, PARTIAL_DIR, id));
  await unlinkQuietly(metadataAside(directory, id));
}

/**
 * Writes a file's metadata aside, in the partial folder, where `publishOnDisk` renames it
 * from; with `sync`, flushed to the disk.
 */
export async function writeMetadataAside(
  directory: string,
  metadata: FileMetadata,
  sync: boolean,
): Promise<void> {
  const path = metadataAside(directory, metadata.id);
  // Callbacks, not fs/promises: half the main thread's time per file of the promise API.
  await new Promise<void>((resolve, reject) =>
    writeFile(path, JSON.stringify(metadata), { flush: sync }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

function rename(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) =>
    renameFile(from, to, (error) => (error ? reject(error) : resolve())),
  );
}

export interface PublishOnDisk {
  directory: string;
  id: string;
  /** The complete (and, with `sync`, fsynced) bytes in the partial folder. */
  partialPath: string;
  size: number;
  meta: CommitMetadata;
  /**
   * The metadata already written aside for these bytes and this `meta` (`writeMetadataAside`),
   * if any: then publishing is the two renames alone.
   */
  aside?: FileMetadata | undefined;
  sync: boolean;
  /** With `sync`: the fsync of `directory` that makes the renames durable (`directorySync`). */
  syncDirectory: () => Promise<void>;
}

/**
 * Publishes a complete partial file as `<directory>/<id>` with `<directory>/<id>.json`. The
 * metadata is written aside first and renamed last: its arrival is the moment of
 * publication, since readers look for it first. Multipart commits and finished tus uploads
 * both end here, so a file looks the same however it arrived.
 */
export async function publishOnDisk(target: PublishOnDisk): Promise<FileMetadata> {
  const { directory, id, sync, aside } = target;
  const metadata = aside ?? fileMetadata(id, target.size, target.meta);
  const metaTemp = metadataAside(directory, id);
  const finalPath = join(directory, id);
  let moved = false;
  try {
    if (!aside) await writeMetadataAside(directory, metadata, sync);
    await rename(target.partialPath, finalPath);
    moved = true;
    await rename(metaTemp, join(directory, `${id}.json`));
  } catch (error) {
    await unlinkQuietly(metaTemp);
    // Bytes without their metadata are never served: they would only be litter.
    if (moved) await unlinkQuietly(finalPath);
    throw error;
  }
  if (sync) await target.syncDirectory();
  return metadata;
}
