import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CommitMetadata } from '../storage';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Writes as the intake does: waits only when the writer asks. */
export async function writeAll(
  writer: { write(chunk: Uint8Array): Promise<void> | undefined },
  chunks: Uint8Array[],
): Promise<void> {
  for (const c of chunks) await writer.write(c);
}

/** `data` cut into pieces of many sizes, 1 byte to a few thousand, so buffer edges are crossed. */
export function oddChunks(data: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 3001 || 1) {
    chunks.push(data.subarray(at, at + size));
  }
  return chunks;
}

export function patterned(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31) % 256));
}

export const commitMeta = (data: Buffer): CommitMetadata => ({
  name: 'a.bin',
  type: 'application/octet-stream',
  sha256: createHash('sha256').update(data).digest('hex'),
});
