import { describe, expect, it } from 'vitest';
import { memorySink } from './memory-sink';

const bytes = (from: number, length: number) =>
  Uint8Array.from({ length }, (_, i) => (from + i) % 256);

async function writeAll(sink: ReturnType<typeof memorySink>, chunks: Uint8Array[]) {
  for (const chunk of chunks) {
    const wait = sink.write(chunk);
    if (wait) await wait;
  }
}

describe('memorySink', () => {
  it('gives back every byte in order across several parts', async () => {
    const sink = memorySink(10);
    const chunks = [bytes(0, 4), bytes(4, 7), bytes(11, 3), bytes(14, 25), bytes(39, 1)];
    await writeAll(sink, chunks);
    expect(sink.size).toBe(40);
    const blob = await sink.finish('application/x-test');
    expect(blob.type).toBe('application/x-test');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...bytes(0, 40)]);
    expect(sink.size).toBe(0);
  });

  it('keeps what was written when sealed after an interruption, and appends after it', async () => {
    const sink = memorySink(8);
    await writeAll(sink, [bytes(0, 5), bytes(5, 6)]);
    await sink.seal();
    expect(sink.size).toBe(11);
    await writeAll(sink, [bytes(11, 9)]);
    const blob = await sink.finish('');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...bytes(0, 20)]);
  });

  it('drops everything on reset', async () => {
    const sink = memorySink(8);
    await writeAll(sink, [bytes(0, 20)]);
    sink.reset();
    expect(sink.size).toBe(0);
    await writeAll(sink, [bytes(100, 3)]);
    const blob = await sink.finish('');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...bytes(100, 3)]);
  });

  it('finishes empty as an empty Blob', async () => {
    expect((await memorySink().finish('text/plain')).size).toBe(0);
  });
});
