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

/** Bytes of spare buffers a pool keeps by default, whatever their size. */
const KEEP_BYTES = 8 * 1024 * 1024;

/** `keep` spares at most: by default as many as fit in 8 MiB (32 of 256 KiB), at least 2. */
export function writeBufferPool(
  size: number,
  keep = Math.max(2, Math.floor(KEEP_BYTES / size)),
): WriteBufferPool {
  const spares: Buffer[] = [];
  return {
    size,
    take: () => spares.pop() ?? Buffer.allocUnsafe(size),
    give(buffer) {
      if (spares.length < keep && buffer.length === size) spares.push(buffer);
    },
  };
}
