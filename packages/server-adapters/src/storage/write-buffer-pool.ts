/**
 * Spare write buffers of one size, kept between files: a request of a thousand small files
 * would otherwise allocate (and leave to the collector) a large buffer or two for each, and
 * that external memory is what makes V8 run full collections mid-upload.
 */
export interface WriteBufferPool {
  /** Bytes in each buffer. */
  readonly size: number;
  /** A spare buffer, or a new one; its old bytes are never written out (only what is set). */
  take(): Buffer;
  /** Back to the pool once nothing reads it any more; past `keep` spares it is dropped. */
  give(buffer: Buffer): void;
}

export function writeBufferPool(size: number, keep = 8): WriteBufferPool {
  const spares: Buffer[] = [];
  return {
    size,
    take: () => spares.pop() ?? Buffer.allocUnsafe(size),
    give(buffer) {
      if (spares.length < keep && buffer.length === size) spares.push(buffer);
    },
  };
}
