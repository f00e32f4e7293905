import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { closing, partHead, patternBytes, randomBoundary } from '../test-support/multipart';
import { rawRequest } from '../test-support/raw-http';
import type { UploadLimits } from './handler-types';

// Issue 11, time and concurrency: a trickling client is answered, not held forever; a slow
// but steady one is kept; past the cap on uploads at once, 503 with Retry-After.

const ADAPTERS = ALL_ADAPTERS;

/** The head of a multipart POST declaring `length` bytes, and the part head of one file. */
function slowUpload(length: number) {
  const boundary = randomBoundary();
  return {
    head: [
      'POST /api/files/upload HTTP/1.1',
      'Host: 127.0.0.1',
      `Content-Type: multipart/form-data; boundary=${boundary}`,
      `Content-Length: ${length}`,
    ].join('\r\n'),
    part: partHead({ name: 'file', filename: 'slow.bin', data: '' }, boundary),
    end: Buffer.concat([Buffer.from('\r\n'), closing(boundary)]),
  };
}

/** `count` pieces of `size` bytes. */
const pieces = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => patternBytes(size, i + 1));

describe.each(ADAPTERS)('%s upload pace', (name) => {
  let root: string;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-pace-${name}-`));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await rm(root, { recursive: true, force: true });
  });

  async function start(folder: string, limits: UploadLimits): Promise<RunningApp> {
    const app = await startApp(name, {
      options: { storage: diskStorage({ directory: join(root, folder) }), limits },
    });
    apps.push(app);
    return app;
  }

  /** Nothing but the empty working folder is left in the store. */
  async function leftIn(folder: string): Promise<string[]> {
    const all = await readdir(join(root, folder)).catch(() => []);
    const partials = await readdir(join(root, folder, PARTIAL_DIR)).catch(() => []);
    return [...all.filter((entry) => entry !== PARTIAL_DIR), ...partials];
  }

  it('a client trickling below limits.minBytesPerSecond is answered 408 request-timeout in JSON, and nothing is kept', async () => {
    const app = await start('trickle', {
      minBytesPerSecond: 10_000,
      rateWindowMs: 400,
      idleTimeoutMs: 5_000,
    });
    const upload = slowUpload(1024 * 1024);
    const started = Date.now();
    // 100 bytes every 100 ms: alive for the idle timer, far too slow for the rate.
    const res = await rawRequest({
      port: app.port,
      head: upload.head,
      body: [upload.part, ...pieces(40, 100)],
      pauseMs: 100,
      stopOnAnswer: true,
      timeoutMs: 3_000,
    });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'request-timeout', message: expect.stringMatching(/bytes per second/) },
    });
    expect(res.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(2_500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await leftIn('trickle')).toEqual([]);
  });

  it('limits.maxDurationMs ends an upload that keeps a good pace but goes on too long', async () => {
    const app = await start('long', { minBytesPerSecond: 0, maxDurationMs: 700 });
    const upload = slowUpload(64 * 1024 * 1024);
    const res = await rawRequest({
      port: app.port,
      head: upload.head,
      body: [upload.part, ...pieces(60, 16 * 1024)],
      pauseMs: 50,
      stopOnAnswer: true,
      timeoutMs: 3_000,
    });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error.message).toMatch(/longer than 700 ms/);
  });

  it('a slow but steady upload above the minimum is kept', async () => {
    // Sent at 5x the minimum, so a loaded machine's late timers on the client side do not
    // make a window of it look slow.
    const app = await start('steady', { minBytesPerSecond: 1_000, rateWindowMs: 400 });
    const body = pieces(15, 500);
    const upload = slowUpload(0);
    const length = upload.part.length + body.reduce((n, p) => n + p.length, 0) + upload.end.length;
    const res = await rawRequest({
      port: app.port,
      head: upload.head.replace('Content-Length: 0', `Content-Length: ${length}`),
      // 5 000 bytes per second for 1.5 s: every 400 ms window over the minimum.
      body: [upload.part, ...body, upload.end],
      pauseMs: 100,
      timeoutMs: 5_000,
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).files[0].size).toBe(7_500);
  });

  it('a tus PATCH trickling below limits.minBytesPerSecond is answered 408 in JSON with Upload-Offset, its bytes kept', async () => {
    const app = await start('tus-trickle', {
      minBytesPerSecond: 10_000,
      rateWindowMs: 400,
      idleTimeoutMs: 5_000,
    });
    const created = await fetch(`${app.base}/tus`, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(1024 * 1024) },
    });
    expect(created.status).toBe(201);
    const path = new URL(created.headers.get('location') ?? '', app.origin).pathname;
    const res = await rawRequest({
      port: app.port,
      head: [
        `PATCH ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Tus-Resumable: 1.0.0',
        'Upload-Offset: 0',
        'Content-Type: application/offset+octet-stream',
        `Content-Length: ${1024 * 1024}`,
      ].join('\r\n'),
      body: pieces(40, 100),
      pauseMs: 100,
      stopOnAnswer: true,
      timeoutMs: 3_000,
    });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error).toEqual({
      code: 'request-timeout',
      message: expect.stringMatching(/bytes per second/),
    });
    expect(Number(res.headers['upload-offset'])).toBeGreaterThan(0);
  });

  it('past limits.concurrentUploads, an upload is 503 server-busy with Retry-After, in JSON', async () => {
    const app = await start('busy', { concurrentUploads: 1 });
    const upload = slowUpload(1024 * 1024);
    // One upload holds the only slot while it trickles in.
    const holding = rawRequest({
      port: app.port,
      head: upload.head,
      body: [upload.part, ...pieces(8, 1024)],
      pauseMs: 100,
      afterBody: 'destroy',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename: 'b.txt', type: 'text/plain', data: 'b' },
    ]);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(busy.body.error?.code).toBe('server-busy');
    const tus = await fetch(`${app.base}/tus`, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1' },
    });
    expect(tus.status).toBe(503);
    expect(tus.headers.get('tus-resumable')).toBe('1.0.0');
    expect(tus.headers.get('retry-after')).toMatch(/^\d+$/);
    await holding;
    // The slot is given back when the holder leaves.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename: 'c.txt', type: 'text/plain', data: 'c' },
    ]);
    expect(after.status).toBe(201);
  });
});
