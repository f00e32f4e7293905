import { createReadStream } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  truncate,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isValidFileId } from '../file-id';
import type { CommitMetadata, FileMetadata } from '../storage';
import type {
  PartialInfo,
  PartialState,
  PartialWriter,
  ResumableStorage,
} from './resumable-storage';

export interface DiskResumableOptions {
  /** The `diskStorage` directory; partial uploads live in its `.partial/` folder. */
  directory: string;
  /** Bytes gathered before each disk write. Defaults to 1 MiB. */
  writeBufferSize?: number;
  /** `fsync` the file before it is published. Defaults to `true`. */
  fsync?: boolean;
}

// Same folder and names as diskStorage's own partial files, so one rename publishes.
const PARTIAL_DIR = '.partial';
const STATE_SUFFIX = '.tus.json';

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

async function unlinkQuietly(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
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

/** Double-buffered appends: one buffer fills while the other is written. */
class DiskPartialWriter implements PartialWriter {
  bytesWritten = 0;
  private buffer: Buffer;
  private spare: Buffer | null = null;
  private used = 0;
  private position: number;
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;
  private finished = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly start: number,
    private readonly bufferSize: number,
  ) {
    this.position = start;
    this.buffer = Buffer.allocUnsafe(bufferSize);
  }

  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.reject(new Error('write after close'));
    let offset = 0;
    while (offset < chunk.length) {
      if (this.used === this.bufferSize) {
        if (this.flushing) {
          const copy = Buffer.from(chunk.subarray(offset));
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
    this.flushing.catch(() => {});
  }

  async close(): Promise<number> {
    if (this.finished) throw new Error('close after close');
    this.finished = true;
    try {
      if (this.flushing) await this.flushing;
      if (this.failure) throw this.failure;
      if (this.used > 0) {
        await writeAll(this.handle, this.buffer, this.used, this.position);
        this.position += this.used;
        this.used = 0;
      }
    } finally {
      await this.handle.close().catch(() => {});
    }
    return this.start + this.bytesWritten;
  }

  async discard(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      if (this.flushing) await this.flushing.catch(() => {});
      await this.handle.close().catch(() => {});
    }
    await truncate(this.path, this.start);
  }
}

/**
 * Partial tus uploads inside a `diskStorage` directory: the bytes in `.partial/<id>` (their
 * length is the offset, so offsets survive a restart and a crash), the state beside them in
 * `.partial/<id>.tus.json`. Publishing renames the bytes to `<id>` and writes `<id>.json`
 * exactly as `diskStorage` commits a multipart file.
 */
export function diskResumable(options: DiskResumableOptions): ResumableStorage {
  const directory = resolve(options.directory);
  const partialDir = join(directory, PARTIAL_DIR);
  const bufferSize = options.writeBufferSize ?? 1024 * 1024;
  const sync = options.fsync ?? true;
  const dataPath = (id: string) => join(partialDir, id);
  const statePath = (id: string) => join(partialDir, `${id}${STATE_SUFFIX}`);
  let ready: Promise<unknown> | null = null;
  const ensureDirs = () => {
    ready ??= mkdir(partialDir, { recursive: true }).catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };

  function checkId(id: string): void {
    if (!isValidFileId(id)) throw Object.assign(new Error('Invalid file id'), { code: 'ENOENT' });
  }

  async function readState(id: string): Promise<PartialState | null> {
    try {
      return JSON.parse(await readFile(statePath(id), 'utf8')) as PartialState;
    } catch (error) {
      if (isNotFound(error) || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  async function writeState(id: string, state: PartialState): Promise<void> {
    // Written aside, then renamed: a crash leaves the old state or the new one, never half.
    const temp = `${statePath(id)}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state));
    await rename(temp, statePath(id));
  }

  async function getPartialInfo(id: string): Promise<PartialInfo | null> {
    if (!isValidFileId(id)) return null;
    const state = await readState(id);
    if (!state) return null;
    try {
      const { size } = await stat(dataPath(id));
      return { ...state, id, offset: size };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    async createPartial(id, state) {
      checkId(id);
      await ensureDirs();
      const handle = await open(dataPath(id), 'wx');
      await handle.close();
      await writeState(id, state);
    },

    getPartialInfo,

    async updatePartial(id, patch) {
      checkId(id);
      const state = await readState(id);
      if (!state) throw Object.assign(new Error('No such upload'), { code: 'ENOENT' });
      await writeState(id, { ...state, ...patch });
    },

    async appendAt(id, offset) {
      checkId(id);
      const handle = await open(dataPath(id), 'r+');
      try {
        const { size } = await handle.stat();
        if (size !== offset) throw new Error(`Offset ${offset} is not the end (${size})`);
      } catch (error) {
        await handle.close();
        throw error;
      }
      return new DiskPartialWriter(handle, dataPath(id), offset, bufferSize);
    },

    async readPartial(id): Promise<Readable> {
      checkId(id);
      const handle = await open(dataPath(id), 'r');
      return createReadStream('', { fd: handle, highWaterMark: 1024 * 1024 });
    },

    async publish(id: string, meta: CommitMetadata): Promise<FileMetadata> {
      checkId(id);
      const data = dataPath(id);
      const handle = await open(data, 'r+');
      let size: number;
      try {
        size = (await handle.stat()).size;
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
      const metadata: FileMetadata = {
        id,
        name: meta.name,
        type: meta.type,
        size,
        sha256: meta.sha256,
        createdAt: Date.now(),
        ...(meta.fields ? { fields: meta.fields } : {}),
      };
      const metaTemp = join(partialDir, `${id}.json`);
      await writeFile(metaTemp, JSON.stringify(metadata), { flush: sync });
      await rename(data, join(directory, id));
      // The metadata's arrival publishes the file: diskStorage's stat reads it first.
      await rename(metaTemp, join(directory, `${id}.json`));
      await unlinkQuietly(statePath(id));
      return metadata;
    },

    async deletePartial(id) {
      if (!isValidFileId(id)) return false;
      const hadState = await unlinkQuietly(statePath(id));
      const hadData = await unlinkQuietly(dataPath(id));
      return hadState || hadData;
    },

    async listPartials() {
      let names: string[];
      try {
        names = await readdir(partialDir);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      const ids = names
        .filter((n) => n.endsWith(STATE_SUFFIX))
        .map((n) => n.slice(0, -STATE_SUFFIX.length));
      const infos = await Promise.all(ids.map(getPartialInfo));
      return infos.filter((info): info is PartialInfo => info !== null);
    },
  };
}
