import { describe, expect, it } from 'vitest';
import { countingStream } from './counting-stream';
import { drain } from './test-support/drain';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('countingStream', () => {
  it('hands bytes whole and blobs in slices, in order, skipping empty blobs', async () => {
    const sent: number[] = [];
    const body = countingStream(
      [bytes(1), new Blob([bytes(2, 3, 4, 5, 6)]), new Blob([]), bytes(7, 8)],
      { sliceSize: 2, onBytes: (n) => sent.push(n) },
    );
    const chunks = await drain(body);
    expect(chunks.map((chunk) => [...chunk])).toEqual([[1], [2, 3], [4, 5], [6], [7, 8]]);
    expect(sent).toEqual([1, 3, 5, 6, 8]);
  });

  it('reads a blob slice only when pulled', async () => {
    const sent: number[] = [];
    const body = countingStream([new Blob([new Uint8Array(10_000)])], {
      sliceSize: 1000,
      onBytes: (n) => sent.push(n),
    });
    const reader = body.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([1000]);
    await reader.cancel();
  });

  it("errors with the signal's reason on the next pull once aborted", async () => {
    const controller = new AbortController();
    const body = countingStream([new Blob([new Uint8Array(10_000)])], {
      sliceSize: 1000,
      signal: controller.signal,
    });
    const reader = body.getReader();
    await reader.read();
    controller.abort(new Error('stop'));
    await expect(reader.read()).rejects.toThrow('stop');
  });

  it('closes at once with nothing to send', async () => {
    expect(await drain(countingStream([]))).toEqual([]);
  });
});
