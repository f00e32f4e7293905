import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningS3rver, startS3rver } from '../../../test-support/s3rver';
import { demoStorage } from '../demo/storage.mjs';
import { createDemoApi } from '../server.mjs';

const BUCKET = 'updown-demo';
let s3: RunningS3rver | undefined;
let endpoint: string;
const folders: string[] = [];

beforeAll(async () => {
  s3 = await startS3rver({ buckets: [{ name: BUCKET }] });
  endpoint = s3.endpoint;
});

afterAll(async () => {
  await s3?.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function roundTrip(storage: Awaited<ReturnType<typeof demoStorage>>['storage']) {
  const api = createDemoApi({ storage });
  const server: Server = await new Promise((resolve) => {
    const s = api.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/files`;
    const form = new FormData();
    form.append('file', new Blob(['hello bucket'], { type: 'text/plain' }), 'hello.txt');
    const posted = await fetch(`${base}/upload`, { method: 'POST', body: form });
    expect(posted.status).toBe(201);
    const { files } = (await posted.json()) as { files: { id: string }[] };
    const id = files[0]?.id ?? '';
    expect(await (await fetch(`${base}/${id}`)).text()).toBe('hello bucket');
    return id;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('npm start picks its storage from the environment', () => {
  it('keeps uploads in the bucket the UPDOWN_S3_* variables name', async () => {
    const { storage, where } = await demoStorage({
      dataDirectory: '/nonexistent',
      env: {
        UPDOWN_S3_BUCKET: BUCKET,
        UPDOWN_S3_ENDPOINT: endpoint,
        UPDOWN_S3_REGION: 'us-east-1',
        UPDOWN_S3_ACCESS_KEY_ID: 'S3RVER',
        UPDOWN_S3_SECRET_ACCESS_KEY: 'S3RVER',
        UPDOWN_S3_PREFIX: 'demo/',
      },
    });
    expect(where).toBe(`s3://${BUCKET}/demo/ at ${endpoint}`);
    const id = await roundTrip(storage);
    expect((await storage.stat(id))?.name).toBe('hello.txt');
    expect((await storage.list?.())?.map((file) => file.id)).toEqual([id]);
  });

  it('stays on the disk without UPDOWN_S3_BUCKET', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'updown-demo-disk-'));
    folders.push(dataDirectory);
    const { storage, where } = await demoStorage({ dataDirectory, env: {} });
    expect(where).toBe(dataDirectory);
    const id = await roundTrip(storage);
    expect((await storage.stat(id))?.size).toBe(12);
  });
});
