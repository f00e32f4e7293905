import { AbortMultipartUploadCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectUploadInfo } from './direct-storage';
import { createFileId } from './file-id';
import { s3Storage } from './s3-storage';
import type { Storage } from './storage';
import { type S3TestServer, startS3Server } from './test-support/s3-server';

// The bucket side of direct uploads, below the routes: what the routes rely on when a
// request fails halfway or another process sweeps.
const MiB = 1024 * 1024;
let s3: S3TestServer;
let n = 0;

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3?.close());

function fresh(): { storage: Storage; prefix: string } {
  const prefix = `s3direct${++n}/`;
  return {
    storage: s3Storage({ client: s3.client, bucket: s3.bucket, prefix, partSize: 5 * MiB }),
    prefix,
  };
}

function multipart(size: number): DirectUploadInfo {
  const now = Date.now();
  return {
    id: createFileId(),
    kind: 'multipart',
    name: 'x.bin',
    type: 'application/octet-stream',
    size,
    partSize: 5 * MiB,
    partCount: Math.ceil(size / (5 * MiB)),
    createdAt: now,
    expiresAt: now + 60_000,
  };
}

async function sendPart(url: string, bytes: Buffer): Promise<string> {
  const res = await fetch(url, { method: 'PUT', body: new Uint8Array(bytes) });
  await res.arrayBuffer();
  return res.headers.get('etag') ?? '';
}

const inProgress = async (prefix: string) =>
  (await s3.uploadsInProgress()).filter((u) => u.startsWith(prefix));

describe('s3Storage direct side', () => {
  it("leaves a pending direct upload's parts to its own expiry when dropAbandoned sweeps", async () => {
    const { storage, prefix } = fresh();
    const direct = storage.direct;
    if (!direct) throw new Error('s3Storage has a direct side');
    const upload = multipart(6 * MiB);
    await direct.create(upload);
    expect(await inProgress(prefix)).toHaveLength(1);
    expect(await storage.dropAbandoned?.(Date.now() + 60_000)).toBe(0);
    expect(await inProgress(prefix)).toHaveLength(1);
    await direct.discard(upload);
    expect(await inProgress(prefix)).toEqual([]);
  });

  it('assembles once: a completion tried again finds the object, and a gone upload is null', async () => {
    const { storage } = fresh();
    const direct = storage.direct;
    if (!direct) throw new Error('s3Storage has a direct side');
    const upload = multipart(5 * MiB + 3);
    await direct.create(upload);
    const urls = await direct.signParts(upload, [1, 2], 60);
    const bytes = Buffer.alloc(upload.size, 7);
    const parts = [
      { partNumber: 1, etag: await sendPart(urls[0] ?? '', bytes.subarray(0, 5 * MiB)) },
      { partNumber: 2, etag: await sendPart(urls[1] ?? '', bytes.subarray(5 * MiB)) },
    ];
    expect(await direct.assemble(upload, parts)).toBe(upload.size);
    const again = await direct.get(upload.id);
    expect(again?.assembled).toBe(true);
    expect(await direct.listParts(again as DirectUploadInfo)).toEqual([]);
    expect(await direct.listParts(upload)).toEqual([]);
    expect(await direct.assemble(again as DirectUploadInfo, [])).toBe(upload.size);
    await direct.discard(again as DirectUploadInfo);
    expect(await direct.get(upload.id)).toBeNull();

    const gone = multipart(6 * MiB);
    await direct.create(gone);
    const [key] = (await s3.uploadsInProgress()).filter((u) => u.includes(gone.id));
    const uploadId = /multipart upload (\w+)\)/.exec(key ?? '')?.[1];
    await s3.client.send(
      new AbortMultipartUploadCommand({
        Bucket: s3.bucket,
        Key: (key ?? '').split(' ')[0],
        UploadId: uploadId,
      }),
    );
    expect(await direct.assemble(gone, [{ partNumber: 1, etag: '"x"' }])).toBeNull();
    await direct.discard(gone);
  });

  it('refuses a PUT of another size as it is: never copied to the file key', async () => {
    const { storage, prefix } = fresh();
    const direct = storage.direct;
    if (!direct) throw new Error('s3Storage has a direct side');
    const upload: DirectUploadInfo = { ...multipart(10), kind: 'put', partCount: 1 };
    await direct.create(upload);
    const { url, headers } = await direct.signPut(upload, upload.type, 60);
    // s3rver checks no signature, so the signed length does not stop it (nor some stores).
    const res = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(4) });
    await res.arrayBuffer();
    expect(await direct.assemble(upload, [])).toBe(4);
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.some((key) => key.endsWith(upload.id))).toBe(false);
    await direct.discard(upload);
    const after = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }),
    );
    expect(after.Contents ?? []).toEqual([]);
  });
});
