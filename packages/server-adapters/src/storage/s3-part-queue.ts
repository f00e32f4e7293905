import type { UploadedPart } from './s3-bucket';

export interface PartQueueOptions {
  /** Bytes per part: every part but the last of an object has exactly this many. */
  partSize: number;
  /** Parts uploading at once; a writer waits while this many are in flight. */
  queueSize: number;
  /** The number the first full part gets. */
  firstPartNumber: number;
  /** Sends one full part. */
  send: (partNumber: number, body: Buffer) => Promise<UploadedPart>;
}

/**
 * Bytes cut into parts of `partSize`, each sent as soon as it is full, at most `queueSize`
 * at once. Memory stays near `partSize x (queueSize + 1)` however fast the bytes come: past
 * that, `write` hands back a promise, and the request stream waits for the bucket.
 */
export class PartQueue {
  /** The full parts sent so far, in the order they finished. */
  readonly parts: UploadedPart[] = [];
  private current: Buffer | null = null;
  private filled = 0;
  private nextNumber: number;
  private readonly inflight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly options: PartQueueOptions) {
    this.nextNumber = options.firstPartNumber;
  }

  /** The number the next part (full or the last) gets. */
  get nextPartNumber(): number {
    return this.nextNumber;
  }

  /** Takes the bytes (copied); a promise when the caller must wait for a free slot. */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure.error);
    const { partSize } = this.options;
    let at = 0;
    while (at < chunk.length) {
      this.current ??= Buffer.allocUnsafe(partSize);
      const n = Math.min(partSize - this.filled, chunk.length - at);
      this.current.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === partSize) this.sendCurrent();
    }
    return this.inflight.size >= this.options.queueSize ? this.slot() : undefined;
  }

  /** The bytes not sent as a full part yet; the queue forgets them. */
  takeRest(): Buffer {
    const rest = this.current ? this.current.subarray(0, this.filled) : Buffer.alloc(0);
    this.current = null;
    this.filled = 0;
    return rest;
  }

  /** Waits for every part in flight; rejects with the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inflight);
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every part in flight, whatever became of them. */
  async settle(): Promise<void> {
    await Promise.all(this.inflight);
  }

  private sendCurrent(): void {
    const body = this.current as Buffer;
    this.current = null;
    this.filled = 0;
    const sending = this.options.send(this.nextNumber++, body).then(
      (part) => {
        this.parts.push(part);
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const tracked = sending.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  private async slot(): Promise<void> {
    while (this.inflight.size >= this.options.queueSize) await Promise.race(this.inflight);
    if (this.failure) throw this.failure.error;
  }
}
