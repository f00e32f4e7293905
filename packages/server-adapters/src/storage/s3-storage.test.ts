import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/handler-test-kit';
import { createFileId } from './file-id';
import { s3Storage } from './s3-storage';
import { partialState } from './test-support/resumable-contract';
import { type S3TestServer, startS3Server } from './test-support/s3-server';
import { storageContract } from './test-support/storage-contract';
import { commitMeta, patterned, readAll, writeAll } from './test-support/storage-io';

const MiB = 1024 * 1024;
let s3: S3TestServer;
let n = 0;

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
});

/** A storage under a prefix of its own, so each test starts with an empty store. */
const fresh = (options: { partSize?: number; queueSize?: number } = {}) =>
  s3Storage({ client: s3.client, bucket: s3.bucket, prefix: `t${++n}/`, ...options });

storageContract('s3Storage', async () => fresh());
storageContract('s3Storage (no prefix)', async () =>
  s3Storage({ client: s3.client, bucket: await s3.newBucket() }),
);

describe('s3Storage in the bucket', () => {
  it('streams a file of several parts through a multipart upload, completed only at commit', async () => {
    const storage = fresh({ partSize: 5 * MiB, queueSize: 2 });
    const data = patterned(12 * MiB + 3);
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [data.subarray(0, 6 * MiB), data.subarray(6 * MiB)]);
    expect(await s3.uploadsInProgress()).toHaveLength(1);
    expect((await s3.keys()).filter((k) => k.includes(sink.id))).toEqual([]);
    const stored = await sink.commit(commitMeta(data));
    expect(stored.size).toBe(data.length);
    expect(await s3.uploadsInProgress()).toEqual([]);
    const prefix = `t${n}/`;
    expect((await s3.keys()).filter((k) => k.startsWith(prefix))).toEqual(
      [`${prefix}${sink.id}`, `${prefix}${sink.id}.json`].sort(),
    );
    const back = await readAll(await storage.createReadStream(sink.id));
    expect(back.equals(data)).toBe(true);
    const range = await readAll(
      await storage.createReadStream(sink.id, { start: 5 * MiB - 2, end: 5 * MiB + 1 }),
    );
    expect(range.equals(data.subarray(5 * MiB - 2, 5 * MiB + 2))).toBe(true);
  });

  it('abort after parts were sent aborts the multipart upload: no object, no parts', async () => {
    const storage = fresh({ partSize: 5 * MiB });
    const before = await s3.keys();
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.alloc(11 * MiB, 1)]);
    expect(await eventually(async () => (await s3.uploadsInProgress()).length === 1)).toBe(true);
    await sink.abort();
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect(await s3.keys()).toEqual(before);
  });

  it('a failed publish removes the completed object', async () => {
    const storage = fresh({ partSize: 5 * MiB });
    const before = await s3.keys();
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.alloc(6 * MiB, 2)]);
    // A name the SDK cannot send as JSON: the metadata write fails after the data completed.
    const meta = { ...commitMeta(Buffer.alloc(0)), fields: { x: 1n as unknown as string } };
    await expect(sink.commit(meta)).rejects.toThrow();
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect(await s3.keys()).toEqual(before);
    expect(await storage.stat(sink.id)).toBeNull();
  });

  it('keeps memory bounded: write asks to wait while queueSize parts are in flight', async () => {
    const storage = fresh({ partSize: 5 * MiB, queueSize: 1 });
    const sink = await storage.begin(createFileId());
    const chunk = Buffer.alloc(64 * 1024, 3);
    let waits = 0;
    for (let i = 0; i < 16 * 17; i++) {
      const wait = sink.write(chunk);
      if (wait) {
        waits++;
        await wait;
      }
    }
    // 17 MiB in 5 MiB parts: at least one wait for each part sent while another flew.
    expect(waits).toBeGreaterThanOrEqual(2);
    await sink.abort();
    expect(await s3.uploadsInProgress()).toEqual([]);
  });

  it('refuses a part size under S3’s 5 MiB minimum, and ids that are not ids', async () => {
    expect(() => fresh({ partSize: MiB })).toThrow(/5 MiB/);
    const storage = fresh();
    for (const id of ['../x', 'a/b', '.partial', 'x.json', '']) {
      await expect(storage.begin(id)).rejects.toThrow();
      expect(await storage.stat(id)).toBeNull();
      expect(await storage.delete(id)).toBe(false);
      await expect(storage.createReadStream(id)).rejects.toThrow();
    }
  });

  it('dropAbandoned aborts multipart uploads a dead server left, but not a live tus upload’s', async () => {
    const storage = fresh({ partSize: 5 * MiB });
    const before = await s3.keys();
    const dead = await storage.begin(createFileId());
    // The server dies here: neither commit nor abort ever comes.
    await writeAll(dead, [Buffer.alloc(6 * MiB, 4)]);
    expect(await eventually(async () => (await s3.uploadsInProgress()).length === 1)).toBe(true);
    const tusId = createFileId();
    const resumable = storage.resumable;
    await resumable?.createPartial(tusId, { ...partialState(20 * MiB) });
    const writer = await resumable?.appendAt(tusId, 0);
    await writeAll(writer as NonNullable<typeof writer>, [Buffer.alloc(6 * MiB, 5)]);
    await writer?.close();
    expect(await s3.uploadsInProgress()).toHaveLength(2);
    // Younger than the cut-off: left alone.
    expect(await storage.dropAbandoned?.(Date.now() - 60_000)).toBe(0);
    expect(await storage.dropAbandoned?.(Date.now() + 1000)).toBe(1);
    expect(await s3.uploadsInProgress()).toHaveLength(1);
    expect((await resumable?.getPartialInfo(tusId))?.offset).toBe(6 * MiB);
    expect(await resumable?.deletePartial(tusId)).toBe(true);
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect(await s3.keys()).toEqual(before);
  });
});
