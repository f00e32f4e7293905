import { writeAll } from './disk-files';
import type { WritableFile } from './open-file';
import type { WriteBufferPool } from './write-buffer-pool';

/**
 * A file's first bytes go to a buffer this small; the large ones are taken only when it
 * fills. A request of a thousand small files has them all in flight at once: with a large
 * buffer each, that was a gigabyte of allocations for the collector.
 */
const FIRST_BUFFER_BYTES = 16 * 1024;

/**
 * Appends to a file through two large buffers: one fills while the other is written,
 * so network reads and disk writes overlap, small writes are coalesced (they are several
 * times slower on common disks), and memory stays at two buffers per file. The large buffers
 * come from a pool and go back to it once the file is finished or stopped.
 *
 * The file may still be opening: bytes are taken meanwhile, and the first disk write waits
 * for it. A small file is then one write, made once its last byte is in, and whoever sends
 * it never waits for the file to be created.
 */
export class BufferedFileWriter {
  bytesWritten = 0;
  private buffer: Buffer;
  private spare: Buffer | null = null;
  private used = 0;
  private position: number;
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;
  private stopped = false;
  private syncing: Promise<void> | null = null;
  private unsynced = 0;
  private readonly bufferSize: number;
  private released = false;

  /**
   * With `syncEveryBytes`, the file's written pages are handed to the disk (`fdatasync`) in
   * the background every so many bytes, so the final fsync before publishing finds little
   * left to do instead of the whole file.
   */
  constructor(
    private readonly handle: Promise<WritableFile>,
    start: number,
    private readonly buffers: WriteBufferPool,
    private readonly syncEveryBytes = 0,
  ) {
    this.position = start;
    this.bufferSize = buffers.size;
    this.buffer = Buffer.allocUnsafe(Math.min(FIRST_BUFFER_BYTES, this.bufferSize));
  }

  /**
   * `undefined` when the bytes were taken at once and there is room for as many more; a
   * promise to wait on before the next write when both buffers are busy.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stopped) return Promise.reject(new Error('write after the file was finished'));
    let offset = 0;
    while (offset < chunk.length) {
      if (this.used === this.buffer.length && this.used < this.bufferSize) this.grow();
      if (this.used === this.bufferSize) {
        if (this.flushing) {
          // Copy: the caller may reuse its chunk once write returns.
          const copy = Buffer.from(chunk.subarray(offset));
          return this.flushing.then(() => this.write(copy));
        }
        this.startFlush();
      }
      const n = Math.min(chunk.length - offset, this.buffer.length - this.used);
      this.buffer.set(chunk.subarray(offset, offset + n), this.used);
      this.used += n;
      offset += n;
      this.bytesWritten += n;
    }
    // A next chunk like this one would not fit while the other buffer is still on its way to
    // the disk: the caller waits now, rather than this writer copying that chunk aside (an
    // allocation and a copy for every buffer filled, whenever the disk is behind).
    if (this.flushing && this.bufferSize - this.used < chunk.length) return this.flushing;
    return undefined;
  }

  /** Writes out what is buffered and takes no more; rejects with the first write failure. */
  async finish(): Promise<void> {
    this.stopped = true;
    try {
      if (this.flushing) await this.flushing;
      if (this.syncing) await this.syncing;
      if (this.failure) throw this.failure;
      if (this.used > 0) {
        await writeAll(await this.handle, this.buffer, this.used, this.position);
        this.position += this.used;
        this.used = 0;
      }
    } finally {
      this.release();
    }
  }

  /** Takes no more, and waits for a write in flight whatever its outcome (before closing on abort). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushing) await this.flushing.catch(() => {});
    if (this.syncing) await this.syncing;
    this.release();
  }

  /** The first, small buffer is full: its bytes move to a large one. */
  private grow(): void {
    const large = this.buffers.take();
    this.buffer.copy(large, 0, 0, this.used);
    this.buffer = large;
  }

  /** Called with no write in flight: nothing reads the buffers any more. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.buffers.give(this.buffer);
    if (this.spare) this.buffers.give(this.spare);
    this.spare = null;
  }

  private syncInBackground(): void {
    if (this.syncing || this.stopped) return;
    this.unsynced = 0;
    // A failure here is not lost: the fsync before publishing reports it.
    this.syncing = this.handle
      .then((handle) => handle.datasync())
      .then(
        () => {
          this.syncing = null;
        },
        () => {
          this.syncing = null;
        },
      );
  }

  private startFlush(): void {
    const full = this.buffer;
    const length = this.used;
    const position = this.position;
    this.position += length;
    this.buffer = this.spare ?? this.buffers.take();
    this.spare = null;
    this.used = 0;
    this.flushing = this.handle
      .then((handle) => writeAll(handle, full, length, position))
      .then(
        () => {
          this.spare = full;
          this.flushing = null;
          this.unsynced += length;
          if (this.syncEveryBytes > 0 && this.unsynced >= this.syncEveryBytes)
            this.syncInBackground();
        },
        (error: unknown) => {
          this.failure = error;
          this.flushing = null;
          throw error;
        },
      );
    // A failed flush is reported to the next write or to finish(); never unhandled.
    this.flushing.catch(() => {});
  }
}
