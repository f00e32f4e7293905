import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Storage } from '../storage/s3-storage';
import { type S3TestServer, startS3Server } from '../storage/test-support/s3-server';
import {
  patternBytes,
  sha256,
  startCutProxy,
  startTusServer,
  type TusTestServer,
} from './test-support/tus-test-kit';

// tus-js-client against the tus routes on s3Storage: what tus/tus-handler.test.ts checks on
// disk, for the paths that differ in a bucket (pending bytes under 5 MiB, parts, sealing).
const MiB = 1024 * 1024;
let s3: S3TestServer;
let n = 0;
const servers: TusTestServer[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await s3?.close();
});

async function server(prefix = `tus${++n}/`): Promise<TusTestServer> {
  const storage = s3Storage({ client: s3.client, bucket: s3.bucket, prefix, partSize: 5 * MiB });
  const started = await startTusServer({ storage, authorize: () => true });
  servers.push(started);
  return started;
}

function tusUpload(
  endpoint: string,
  data: Buffer,
  options: Partial<tus.UploadOptions> = {},
): Promise<tus.Upload> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint,
      retryDelays: [0, 50, 100, 200, 400, 800],
      metadata: { filename: 's3.bin', filetype: 'application/octet-stream' },
      ...options,
      onSuccess: () => resolve(upload),
      onError: reject,
    });
    upload.start();
  });
}

async function served(s: TusTestServer, upload: tus.Upload): Promise<Buffer> {
  const id = (upload.url ?? '').split('/').pop() ?? '';
  const res = await fetch(`${s.origin}/files/${id}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('tus on s3Storage', () => {
  it('takes tus-js-client chunks of 1 MiB (under the 5 MiB part minimum), byte-exact, with its sha256', async () => {
    const s = await server();
    const data = patternBytes(11 * MiB + 17, 5);
    const upload = await tusUpload(s.endpoint, data, { chunkSize: MiB });
    const back = await served(s, upload);
    expect(back.equals(data)).toBe(true);
    const id = (upload.url ?? '').split('/').pop() ?? '';
    expect((await s.storage.stat(id))?.sha256).toBe(sha256(data));
    expect(await s3.uploadsInProgress()).toEqual([]);
  });

  it('resumes after the connection is cut mid-PATCH', async () => {
    const s = await server();
    const proxy = await startCutProxy(Number(new URL(s.origin).port));
    const data = patternBytes(7 * MiB, 6);
    proxy.cutAfter(6 * MiB);
    const upload = await tusUpload(`${proxy.origin}/files/tus`, data, { chunkSize: 8 * MiB });
    expect(proxy.cuts).toBe(1);
    expect((await served(s, upload)).equals(data)).toBe(true);
    await proxy.close();
  });

  it('joins parallel uploads (concatenation) from pieces kept in the bucket', async () => {
    const s = await server();
    const data = patternBytes(9 * MiB + 3, 7);
    const upload = await tusUpload(s.endpoint, data, { parallelUploads: 3, chunkSize: 2 * MiB });
    expect((await served(s, upload)).equals(data)).toBe(true);
    expect(await s3.uploadsInProgress()).toEqual([]);
    // Only the joined file and its metadata stay: every piece and its state is gone.
    const prefix = `tus${n}/`;
    expect((await s3.keys()).filter((k) => k.startsWith(prefix))).toHaveLength(2);
  });

  it('sweeps an expired upload from the bucket: state, pending bytes and multipart upload', async () => {
    let clock = Date.now();
    const prefix = `tus${++n}/`;
    const storage = s3Storage({ client: s3.client, bucket: s3.bucket, prefix, partSize: 5 * MiB });
    const s = await startTusServer({
      storage,
      authorize: () => true,
      tus: { expirationMs: 60_000, now: () => clock },
    });
    servers.push(s);
    const created = await fetch(s.endpoint, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(20 * MiB) },
    });
    const url = new URL(created.headers.get('location') ?? '', s.origin).href;
    const patched = await fetch(url, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Content-Type': 'application/offset+octet-stream',
        'Upload-Offset': '0',
      },
      body: new Uint8Array(patternBytes(7 * MiB, 8)),
    });
    expect(patched.status).toBe(204);
    expect((await s3.uploadsInProgress()).filter((u) => u.startsWith(prefix))).toHaveLength(1);
    expect(await s.tus.sweep()).toBe(0);
    clock += 61_000;
    expect(await s.tus.sweep()).toBe(1);
    expect((await s3.uploadsInProgress()).filter((u) => u.startsWith(prefix))).toEqual([]);
    expect((await s3.keys()).filter((k) => k.startsWith(prefix))).toEqual([]);
  });
});
