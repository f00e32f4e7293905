import { BufferedFileWriter } from './buffered-file-writer';
import type { WritableFile } from './open-file';
import type { PartialWriter } from './resumable-storage';
import type { WriteBufferPool } from './write-buffer-pool';

/** Background `fdatasync` step while a synced file is written. */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

export interface DiskWriterOptions {
  /** Where the first byte goes: 0 for a new file, the current offset for a tus append. */
  start: number;
  /** Where the buffers that gather bytes before each disk write come from. */
  buffers: WriteBufferPool;
  /**
   * `fdatasync` in the background while writing, and `fsync` before closing. tus appends
   * leave it off: their partial is fsynced once, when it is published.
   */
  sync: boolean;
  /** Takes back what this writer put on the disk; runs on every `discard`. */
  drop: () => Promise<unknown>;
}

/**
 * Bytes appended to a file from `start` through a `BufferedFileWriter`. Every byte that
 * reaches the disk goes through one: a multipart file (from 0, synced, then published) and a
 * tus PATCH (from the offset, cut back to it on discard). The file may still be opening (a
 * multipart file is created while its first bytes arrive); a failed open is reported by the
 * write or `close` that needs it.
 */
export class DiskWriter implements PartialWriter {
  private readonly writer: BufferedFileWriter;
  private readonly handle: Promise<WritableFile>;
  private finished = false;
  private closing: Promise<unknown> | null = null;

  constructor(
    handle: WritableFile | Promise<WritableFile>,
    private readonly options: DiskWriterOptions,
  ) {
    this.handle = Promise.resolve(handle);
    // Reported where it matters (a write, close); an abort only needs it settled.
    this.handle.catch(() => {});
    const syncEvery = options.sync ? SYNC_EVERY_BYTES : 0;
    this.writer = new BufferedFileWriter(this.handle, options.start, options.buffers, syncEvery);
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.finished) return Promise.reject(new Error('write after close or discard'));
    return this.writer.write(chunk);
  }

  /** Flushes (and with `sync`, fsyncs), closes the file and resolves with its new end. */
  close(): Promise<number> {
    if (this.finished) return Promise.reject(new Error('close after close or discard'));
    this.finished = true;
    const closed = this.closeFile();
    this.closing = closed;
    return closed;
  }

  private async closeFile(): Promise<number> {
    try {
      await this.writer.finish();
      if (this.options.sync) await (await this.handle).sync();
    } catch (error) {
      await this.closeHandle();
      throw error;
    }
    await (await this.handle).close();
    return this.options.start + this.writer.bytesWritten;
  }

  async discard(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      await this.writer.stop();
      await this.closeHandle();
    } else if (this.closing) {
      await this.closing.catch(() => {});
    }
    // Only once the file exists (or its open failed) can dropping it leave nothing.
    await this.options.drop();
  }

  private async closeHandle(): Promise<void> {
    const handle = await this.handle.catch(() => null);
    await handle?.close().catch(() => {});
  }
}
