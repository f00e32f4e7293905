import { SNIFF_BYTES } from './sniff-type';

/** The first bytes of a file, gathered from its chunks until there are enough to sniff. */
export class FileHead {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** Whether enough bytes are in. */
  get full(): boolean {
    return this.size >= SNIFF_BYTES;
  }

  /** Keeps a reference to `chunk` (no copy) while the head is not full; `true` once it is. */
  add(chunk: Uint8Array): boolean {
    if (this.full) return true;
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this.full;
  }

  /** The head, at most `SNIFF_BYTES` long. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks).subarray(0, SNIFF_BYTES);
  }

  /** The head of a stream, read until full; the rest is left unread. */
  static async of(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
    const head = new FileHead();
    for await (const chunk of stream) if (head.add(chunk)) break;
    return head.bytes();
  }
}
