import type { FileHandle } from 'node:fs/promises';
import { BufferedFileWriter } from './buffered-file-writer';
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
 * Bytes appended to an open file from `start` through a `BufferedFileWriter`. Every byte that
 * reaches the disk goes through one: a multipart file (from 0, synced, then published) and a
 * tus PATCH (from the offset, cut back to it on discard).
 */
export class DiskWriter implements PartialWriter {
  private readonly writer: BufferedFileWriter;
  private finished = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly options: DiskWriterOptions,
  ) {
    const syncEvery = options.sync ? SYNC_EVERY_BYTES : 0;
    this.writer = new BufferedFileWriter(handle, options.start, options.buffers, syncEvery);
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.finished) return Promise.reject(new Error('write after close or discard'));
    return this.writer.write(chunk);
  }

  /** Flushes (and with `sync`, fsyncs), closes the file and resolves with its new end. */
  async close(): Promise<number> {
    if (this.finished) throw new Error('close after close or discard');
    this.finished = true;
    try {
      await this.writer.finish();
      if (this.options.sync) await this.handle.sync();
    } catch (error) {
      await this.handle.close().catch(() => {});
      throw error;
    }
    await this.handle.close();
    return this.options.start + this.writer.bytesWritten;
  }

  async discard(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      await this.writer.stop();
      await this.handle.close().catch(() => {});
    }
    await this.options.drop();
  }
}
