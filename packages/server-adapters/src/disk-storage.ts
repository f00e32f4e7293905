import { createReadStream as fsCreateReadStream } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isValidFileId } from './file-id';
import type { ByteRange, CommitMetadata, FileMetadata, Storage, WriteSink } from './storage';
import { diskResumable } from './tus/disk-resumable';

export interface DiskStorageOptions {
  /** Where files live; created when missing. Partial files go to `<directory>/.partial/`. */
  directory: string;
  /**
   * Bytes gathered before each disk write. Defaults to 1 MiB: small writes are several
   * times slower on common disks, and two buffers per upload bound the memory.
   */
  writeBufferSize?: number;
  /** `fsync` each file before it is published. Defaults to `true`. */
  fsync?: boolean;
}

/** The folder for files being written; one rename moves a file out of it, published. */
export const PARTIAL_DIR = '.partial';

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

async function unlinkQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Writes coalesced into large buffers, double-buffered: one buffer fills while the other is
 * written, so network reads and disk writes overlap and memory stays at two buffers.
 */
class DiskSink implements WriteSink {
  bytesWritten = 0;
  private buffer: Buffer;
  private spare: Buffer | null = null;
  private used = 0;
  private position = 0;
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;
  private finished = false;

  constructor(
    readonly id: string,
    private readonly handle: FileHandle,
    private readonly paths: {
      directory: string;
      partial: string;
      final: string;
      metaTemp: string;
      meta: string;
    },
    private readonly bufferSize: number,
    private readonly sync: boolean,
  ) {
    this.buffer = Buffer.allocUnsafe(bufferSize);
  }

  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.reject(new Error('write after commit or abort'));
    let offset = 0;
    while (offset < chunk.length) {
      if (this.used === this.bufferSize) {
        if (this.flushing) {
          const rest = chunk.subarray(offset);
          // Copy: the caller may reuse its chunk once write returns.
          const copy = Buffer.from(rest);
          return this.flushing.then(() => this.write(copy));
        }
        this.startFlush();
      }
      const n = Math.min(chunk.length - offset, this.bufferSize - this.used);
      this.buffer.set(chunk.subarray(offset, offset + n), this.used);
      this.used += n;
      offset += n;
      this.bytesWritten += n;
    }
    return undefined;
  }

  private startFlush(): void {
    const full = this.buffer;
    const length = this.used;
    const position = this.position;
    this.position += length;
    this.buffer = this.spare ?? Buffer.allocUnsafe(this.bufferSize);
    this.spare = null;
    this.used = 0;
    this.flushing = writeAll(this.handle, full, length, position).then(
      () => {
        this.spare = full;
        this.flushing = null;
      },
      (error: unknown) => {
        this.failure = error;
        this.flushing = null;
        throw error;
      },
    );
    // A failed flush is reported to the next write or to commit; never unhandled.
    this.flushing.catch(() => {});
  }

  async commit(meta: CommitMetadata): Promise<FileMetadata> {
    if (this.finished) throw new Error('commit after commit or abort');
    try {
      if (this.flushing) await this.flushing;
      if (this.failure) throw this.failure;
      if (this.used > 0) {
        await writeAll(this.handle, this.buffer, this.used, this.position);
        this.position += this.used;
        this.used = 0;
      }
      if (this.sync) await this.handle.sync();
      await this.handle.close();
      this.finished = true;
      const metadata: FileMetadata = {
        id: this.id,
        name: meta.name,
        type: meta.type,
        size: this.bytesWritten,
        sha256: meta.sha256,
        createdAt: Date.now(),
        ...(meta.fields ? { fields: meta.fields } : {}),
      };
      await writeFile(this.paths.metaTemp, JSON.stringify(metadata), { flush: this.sync });
      await rename(this.paths.partial, this.paths.final);
      // The metadata's arrival is the moment of publication: stat reads it first.
      await rename(this.paths.metaTemp, this.paths.meta);
      if (this.sync) await syncDirectory(this.paths.directory);
      return metadata;
    } catch (error) {
      await this.abort();
      await unlinkQuietly(this.paths.final);
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      if (this.flushing) await this.flushing.catch(() => {});
      await this.handle.close().catch(() => {});
    }
    await unlinkQuietly(this.paths.partial);
    await unlinkQuietly(this.paths.metaTemp);
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

async function writeAll(
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

/**
 * Files on the local disk: `<directory>/<id>` with its metadata in `<directory>/<id>.json`.
 * Bytes are written to `<directory>/.partial/<id>`, fsynced, and published by renames on
 * the same filesystem, so a reader never sees half a file and an abort leaves nothing.
 */
export function diskStorage(options: DiskStorageOptions): Storage {
  const directory = resolve(options.directory);
  const partialDir = join(directory, PARTIAL_DIR);
  const bufferSize = options.writeBufferSize ?? 1024 * 1024;
  const sync = options.fsync ?? true;
  let ready: Promise<unknown> | null = null;
  const ensureDirs = () => {
    ready ??= mkdir(partialDir, { recursive: true }).catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };
  const dataPath = (id: string) => join(directory, id);
  const metaPath = (id: string) => join(directory, `${id}.json`);

  async function stat(id: string): Promise<FileMetadata | null> {
    if (!isValidFileId(id)) return null;
    try {
      return JSON.parse(await readFile(metaPath(id), 'utf8')) as FileMetadata;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    resumable: diskResumable({ directory, writeBufferSize: bufferSize, fsync: sync }),

    async begin(id: string): Promise<WriteSink> {
      if (!isValidFileId(id)) throw new Error('Invalid file id');
      await ensureDirs();
      const partial = join(partialDir, id);
      // 'wx': an id is never reused, and never follows a planted link.
      const handle = await open(partial, 'wx');
      return new DiskSink(
        id,
        handle,
        {
          directory,
          partial,
          final: dataPath(id),
          metaTemp: join(partialDir, `${id}.json`),
          meta: metaPath(id),
        },
        bufferSize,
        sync,
      );
    },

    stat,

    async createReadStream(id: string, range?: ByteRange): Promise<Readable> {
      if (!isValidFileId(id)) throw Object.assign(new Error('Not found'), { code: 'ENOENT' });
      // Opened first so a missing file fails here, before any header is sent.
      const handle = await open(dataPath(id), 'r');
      return fsCreateReadStream('', {
        fd: handle,
        highWaterMark: 256 * 1024,
        ...(range ? { start: range.start, end: range.end } : {}),
      });
    },

    async delete(id: string): Promise<boolean> {
      if (!isValidFileId(id)) return false;
      try {
        await unlink(metaPath(id));
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      await unlinkQuietly(dataPath(id));
      return true;
    },

    async list(): Promise<FileMetadata[]> {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
      const all = await Promise.all(ids.map(stat));
      return all.filter((m): m is FileMetadata => m !== null);
    },
  };
}
