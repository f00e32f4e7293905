import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportContext, TransportItem } from '../transport/transport';
import { memoryUrlStore } from '../tus/tus-url-store';
import { createUploader } from '../upload/uploader';
import { s3Transport } from './s3-transport';
import {
  type DirectBucket,
  type DirectBucketOptions,
  serveRoutes,
  startDirectBucket,
} from './test-support/direct-bucket';

// s3Transport in Node (fetch, streamed bodies) against a real S3 API on 127.0.0.1 (s3rver)
// and a stand-in for the app server's signing routes.

const KiB = 1024;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(options: DirectBucketOptions = {}) {
  const bucket = await startDirectBucket(options);
  const routes = await serveRoutes(bucket);
  cleanups.push(bucket.close, routes.close);
  return { bucket, endpoint: `${routes.origin}/api/files` };
}

function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let x = seed || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function fileOf(bytes: Uint8Array<ArrayBuffer>, type = 'application/octet-stream'): File {
  return new File([bytes], 'data.bin', { type, lastModified: 1_700_000_000_000 });
}

function itemOf(file: File, id: string): TransportItem {
  return { id, file, name: file.name, size: file.size, type: file.type, attempt: 1 };
}

function contextOf(signal: AbortSignal, progress: number[]): TransportContext {
  return { signal, onProgress: (loaded) => progress.push(loaded), metadata: {} };
}

interface Answer {
  files: { id: string; name: string; size: number; type: string }[];
  fields: Record<string, string>;
}

/** How often each part number was PUT. */
function putsPerPart(bucket: DirectBucket): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { part } of bucket.puts) counts.set(part, (counts.get(part) ?? 0) + 1);
  return counts;
}

async function untilLoaded(uploader: ReturnType<typeof createUploader>, bytes: number) {
  await new Promise<void>((resolve) => {
    const stop = uploader.subscribe((state) => {
      if ((state.items[0]?.progress.loaded ?? 0) > bytes) {
        stop();
        resolve();
      }
    });
  });
}

describe('s3Transport against s3rver (Node, fetch)', () => {
  it('sends a small file with one presigned PUT and resolves with the server answer', async () => {
    const { bucket, endpoint } = await setup();
    const bytes = pattern(100 * KiB, 1);
    const progress: number[] = [];
    const transport = s3Transport<Answer>({ endpoint });
    const answer = await transport(itemOf(fileOf(bytes, 'image/png'), 'a'), {
      ...contextOf(new AbortController().signal, progress),
      metadata: { album: 'summer' },
    });
    expect(answer.files[0]).toMatchObject({
      name: 'data.bin',
      size: bytes.length,
      type: 'image/png',
    });
    expect(answer.fields).toEqual({ album: 'summer' });
    expect(bucket.calls).toEqual(['create', 'complete']);
    expect(bucket.puts).toEqual([{ key: expect.any(String), part: 0 }]);
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    // The streamed body is counted as the network takes it: 64 KiB at a time.
    expect(new Set(progress).size).toBeGreaterThan(2);
  });

  it('sends a large file as a multipart upload, parts in parallel, byte-true progress', async () => {
    const { bucket, endpoint } = await setup({ partSize: 256 * KiB });
    const bytes = pattern(1_300_000, 2);
    const progress: number[] = [];
    const transport = s3Transport<Answer>({ endpoint, partConcurrency: 3 });
    const answer = await transport(
      itemOf(fileOf(bytes), 'a'),
      contextOf(new AbortController().signal, progress),
    );
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
    expect([...putsPerPart(bucket)].sort(([a], [b]) => a - b)).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    expect(bucket.calls).toEqual(['create', 'sign 1,2,3,4,5', 'complete']);
    expect(await bucket.uploadsInProgress()).toEqual([]);
    // Finer than one step a part (64 KiB slices as the network takes them), never
    // backwards, ending at the size.
    expect(new Set(progress).size).toBeGreaterThan(15);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('goes through createUploader: success, one attempt, the answer as the response', async () => {
    const { bucket, endpoint } = await setup({ partSize: 256 * KiB });
    const bytes = pattern(600_000, 8);
    const uploader = createUploader({ transport: s3Transport({ endpoint }) });
    await uploader.add([fileOf(bytes)]);
    const [item] = await uploader.upload();
    expect(item).toMatchObject({ status: 'success', attempts: 1, progress: { percent: 100 } });
    const answer = item!.response as Answer;
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
    uploader.destroy();
  });

  it('retries a part that fails once, alone', async () => {
    const { bucket, endpoint } = await setup({ partSize: 256 * KiB });
    const bytes = pattern(1_000_000, 3);
    bucket.failPart(2);
    const uploader = createUploader({
      transport: s3Transport({ endpoint, retryDelays: [10] }),
    });
    await uploader.add([fileOf(bytes)]);
    const [item] = await uploader.upload();
    expect(item?.status).toBe('success');
    expect(putsPerPart(bucket)).toEqual(
      new Map([
        [1, 1],
        [2, 2],
        [3, 1],
        [4, 1],
      ]),
    );
    expect(bucket.calls.filter((call) => call === 'create')).toHaveLength(1);
    const answer = item!.response as Answer;
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
  });

  it('cancel aborts the multipart upload: nothing left in the bucket', async () => {
    const { bucket, endpoint } = await setup({ partSize: 64 * KiB, putDelayMs: 30 });
    const bytes = pattern(1_000_000, 4);
    const urlStore = memoryUrlStore();
    const uploader = createUploader({
      transport: s3Transport({ endpoint, partConcurrency: 2, urlStore }),
    });
    const { accepted } = await uploader.add([fileOf(bytes)]);
    const done = uploader.upload();
    await untilLoaded(uploader, 200_000);
    expect((await bucket.storedParts()).length).toBeGreaterThan(0);
    uploader.cancel(accepted[0]!.id);
    await done;
    expect(uploader.getState().items[0]!.status).toBe('cancelled');
    await expect.poll(() => bucket.calls.includes('abort')).toBe(true);
    await expect.poll(() => bucket.uploadsInProgress()).toEqual([]);
    expect(await bucket.keys()).toEqual([]);
    uploader.destroy();
  });

  it('pause keeps the finished parts; resume lists them and sends only the missing ones', async () => {
    const { bucket, endpoint } = await setup({ partSize: 64 * KiB, putDelayMs: 30 });
    const bytes = pattern(1_000_000, 5);
    const uploader = createUploader({
      transport: s3Transport({ endpoint, partConcurrency: 2 }),
    });
    const { accepted } = await uploader.add([fileOf(bytes)]);
    const id = accepted[0]!.id;
    const done = uploader.upload();
    await untilLoaded(uploader, 350_000);
    uploader.pause(id);
    expect(uploader.getState().items[0]!.status).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const kept = await bucket.storedParts();
    const putsBefore = bucket.puts.length;
    expect(kept.length).toBeGreaterThanOrEqual(2);
    uploader.resume(id);
    await done;
    const item = uploader.getState().items[0]!;
    expect(item.status).toBe('success');
    const resent = bucket.puts.slice(putsBefore).map((put) => put.part);
    expect(resent.filter((part) => kept.includes(part))).toEqual([]);
    expect(new Set([...kept, ...resent])).toEqual(
      new Set(Array.from({ length: 16 }, (_, i) => i + 1)),
    );
    expect(bucket.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(bucket.calls).toContain('list');
    const answer = item.response as Answer;
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
    uploader.destroy();
  });

  it('resumes by fingerprint in a new transport sharing the store (a reload)', async () => {
    const { bucket, endpoint } = await setup({ partSize: 64 * KiB, putDelayMs: 20 });
    const bytes = pattern(800_000, 6);
    const urlStore = memoryUrlStore();
    const controller = new AbortController();
    const first = s3Transport({ endpoint, partConcurrency: 2, urlStore });
    const run = first(itemOf(fileOf(bytes), 'before'), {
      signal: controller.signal,
      onProgress: (loaded) => {
        if (loaded > 300_000) controller.abort('pause');
      },
      metadata: {},
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const kept = await bucket.storedParts();
    const putsBefore = bucket.puts.length;

    const progress: number[] = [];
    const second = s3Transport<Answer>({ endpoint, partConcurrency: 2, urlStore });
    const answer = await second(
      itemOf(fileOf(bytes), 'after'),
      contextOf(new AbortController().signal, progress),
    );
    expect(bucket.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(bucket.calls).toContain('list');
    const resent = bucket.puts.slice(putsBefore).map((put) => put.part);
    expect(resent.filter((part) => kept.includes(part))).toEqual([]);
    expect(resent.length).toBe(Math.ceil(bytes.length / (64 * KiB)) - kept.length);
    // Progress starts from the listed parts.
    expect(progress.find((loaded) => loaded > 0)).toBeGreaterThanOrEqual(kept.length * 64 * KiB);
    expect(sha256(await bucket.bytes(answer.files[0]!.id))).toBe(sha256(bytes));
    expect(
      await urlStore.get(
        `s3::data.bin::${bytes.length}::application/octet-stream::1700000000000::${endpoint}`,
      ),
    ).toBeNull();
  });

  it('a file refused at signing sends no byte and leaves nothing behind', async () => {
    const { bucket, endpoint } = await setup({ refuseTypes: ['application/x-msdownload'] });
    const uploader = createUploader({ transport: s3Transport({ endpoint }) });
    await uploader.add([fileOf(pattern(10 * KiB, 7), 'application/x-msdownload')]);
    const [item] = await uploader.upload();
    expect(item).toMatchObject({ status: 'error', error: { code: 'file-invalid-type' } });
    expect(bucket.calls).toEqual(['create']);
    expect(bucket.puts).toEqual([]);
    expect(await bucket.keys()).toEqual([]);
  });
});
