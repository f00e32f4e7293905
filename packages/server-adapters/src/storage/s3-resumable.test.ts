import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileId } from './file-id';
import type { ResumableStorage } from './resumable-storage';
import { s3Storage } from './s3-storage';
import type { Storage } from './storage';
import { partialState, resumableContract } from './test-support/resumable-contract';
import { type S3TestServer, startS3Server } from './test-support/s3-server';
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

function resumableOf(storage: Storage): ResumableStorage {
  if (!storage.resumable) throw new Error('no resumable side');
  return storage.resumable;
}

/** Two app servers' views of one prefix of the bucket: what one stores, the other sees. */
function servers(prefix = `r${++n}/`): [Storage, Storage] {
  const make = () =>
    s3Storage({ client: s3.client, bucket: s3.bucket, prefix, partSize: 5 * MiB, queueSize: 2 });
  return [make(), make()];
}

resumableContract('s3Storage().resumable', async () => {
  const [storage] = servers();
  return { storage, resumable: resumableOf(storage) };
});

async function append(resumable: ResumableStorage, id: string, offset: number, bytes: Buffer) {
  const writer = await resumable.appendAt(id, offset);
  await writeAll(writer, [bytes]);
  return writer.close();
}

describe('s3Storage tus partials in the bucket', () => {
  it('takes PATCHes of any size on alternating servers: full parts uploaded, the rest pending, then publishes', async () => {
    const [a, b] = servers();
    const prefix = `r${n}/`;
    const id = createFileId();
    const data = patterned(17 * MiB + 5);
    await resumableOf(a).createPartial(id, partialState(data.length));
    // 3 MiB (pending only), 4 MiB (a first part and 2 MiB pending), 9 MiB, then the last bytes.
    const cuts = [0, 3 * MiB, 7 * MiB, 16 * MiB, data.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const side = resumableOf(i % 2 === 0 ? a : b);
      const offset = await append(side, id, cuts[i] as number, data.subarray(cuts[i], cuts[i + 1]));
      expect(offset).toBe(cuts[i + 1]);
      expect((await resumableOf(i % 2 === 0 ? b : a).getPartialInfo(id))?.offset).toBe(offset);
      if (i < cuts.length - 2) expect(await s3.uploadsInProgress()).toHaveLength(i === 0 ? 0 : 1);
    }
    expect(await s3.uploadsInProgress()).toEqual([]);
    const hash = createHash('sha256');
    for await (const c of await resumableOf(b).readPartial(id)) hash.update(c as Buffer);
    expect(hash.digest('hex')).toBe(commitMeta(data).sha256);
    expect(await a.stat(id)).toBeNull();
    const stored = await resumableOf(a).publish(id, commitMeta(data));
    expect(stored.size).toBe(data.length);
    expect((await readAll(await b.createReadStream(id))).equals(data)).toBe(true);
    expect((await s3.keys()).filter((k) => k.startsWith(prefix))).toEqual(
      [`${prefix}${id}`, `${prefix}${id}.json`].sort(),
    );
  });

  it('a discarded PATCH after parts were sent keeps the offset, and the next PATCH overwrites its parts', async () => {
    const [a, b] = servers();
    const id = createFileId();
    const data = patterned(13 * MiB);
    await resumableOf(a).createPartial(id, partialState(data.length));
    await append(resumableOf(a), id, 0, data.subarray(0, 2 * MiB));
    const lost = await resumableOf(b).appendAt(id, 2 * MiB);
    await writeAll(lost, [Buffer.alloc(9 * MiB, 0xee)]);
    await lost.discard();
    expect((await resumableOf(a).getPartialInfo(id))?.offset).toBe(2 * MiB);
    expect(await append(resumableOf(a), id, 2 * MiB, data.subarray(2 * MiB))).toBe(data.length);
    await resumableOf(b).publish(id, commitMeta(data));
    expect((await readAll(await a.createReadStream(id))).equals(data)).toBe(true);
    expect(await s3.uploadsInProgress()).toEqual([]);
  });

  it('deletePartial aborts the multipart upload and removes the state and pending bytes', async () => {
    const [a, b] = servers();
    const prefix = `r${n}/`;
    const id = createFileId();
    await resumableOf(a).createPartial(id, partialState(20 * MiB));
    await append(resumableOf(a), id, 0, Buffer.alloc(7 * MiB, 1));
    expect(await s3.uploadsInProgress()).toHaveLength(1);
    expect(await resumableOf(b).deletePartial(id)).toBe(true);
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect((await s3.keys()).filter((k) => k.startsWith(prefix))).toEqual([]);
    expect(await resumableOf(a).listPartials()).toEqual([]);
  });

  it('a deferred length declared by a last, empty PATCH still publishes every byte', async () => {
    const [a, b] = servers();
    const id = createFileId();
    const data = patterned(6 * MiB + 1);
    await resumableOf(a).createPartial(id, partialState(null));
    await append(resumableOf(a), id, 0, data);
    await resumableOf(b).updatePartial(id, { length: data.length });
    expect(await (await resumableOf(b).appendAt(id, data.length)).close()).toBe(data.length);
    await resumableOf(b).publish(id, commitMeta(data));
    expect((await readAll(await a.createReadStream(id))).equals(data)).toBe(true);
    expect(await s3.uploadsInProgress()).toEqual([]);
  });
});
