import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStreamHash } from './stream-hash';

const MiB = 1024 * 1024;

async function hashInChunks(
  data: Buffer,
  sizes: () => number,
): Promise<{ hex: string; waits: number }> {
  const hash = createStreamHash();
  let waits = 0;
  for (let at = 0; at < data.length; ) {
    const size = Math.max(1, sizes());
    const wait = hash.update(data.subarray(at, at + size));
    at += size;
    if (wait) {
      waits++;
      await wait;
    }
  }
  return { hex: await hash.digest(), waits };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('createStreamHash', () => {
  it.each([
    ['empty', 0],
    ['small', 1000],
    ['exactly one batch', MiB],
    ['one batch and a byte', MiB + 1],
    ['several batches', 5.5 * MiB],
    ['many batches', 24 * MiB + 3],
  ])('%s: the same digest as one createHash', async (_label, length) => {
    const data = randomBytes(length);
    let n = 0;
    const { hex } = await hashInChunks(
      data,
      () => [1, 7, 65_536, 300_001, 2 * MiB][n++ % 5] as number,
    );
    expect(hex).toBe(sha(data));
  });

  it('keeps several hashes apart while they run at once', async () => {
    const datas = Array.from({ length: 6 }, (_, i) => randomBytes(3 * MiB + i * 1000));
    const results = await Promise.all(datas.map((d) => hashInChunks(d, () => 64 * 1024)));
    expect(results.map((r) => r.hex)).toEqual(datas.map(sha));
  });

  it('asks the caller to wait rather than queue without bound', async () => {
    const data = randomBytes(40 * MiB);
    const { hex, waits } = await hashInChunks(data, () => 8 * MiB);
    expect(hex).toBe(sha(data));
    // Chunks of 8 MiB are always more than the worker may be behind.
    expect(waits).toBeGreaterThan(0);
  });

  it('can be disposed midway, and a new hash is not disturbed', async () => {
    const hash = createStreamHash();
    await hash.update(randomBytes(3 * MiB));
    hash.dispose();
    const data = randomBytes(2 * MiB);
    expect((await hashInChunks(data, () => 100_000)).hex).toBe(sha(data));
  });
});
