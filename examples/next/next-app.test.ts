// The example as a user ships it: built with `next build`, served by `next start`, and
// driven over HTTP through its route handler (app/api/files/[...updown]/route.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp, type StartedApp, startApp } from './test-support/next-app';

interface Stored {
  id: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
  url: string;
}

const uploads = mkdtempSync(join(tmpdir(), 'updown-next-'));
let app: StartedApp;

beforeAll(async () => {
  const ms = await buildApp();
  console.info(`next build: ${(ms / 1000).toFixed(1)} s`);
  app = await startApp({ UPLOAD_DIR: uploads });
});

afterAll(async () => {
  await app?.stop();
  rmSync(uploads, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(file: File): Promise<Stored> {
  const body = new FormData();
  body.append('file', file);
  const answer = await fetch(`${app.base}/api/files/upload`, { method: 'POST', body });
  expect(answer.status).toBe(201);
  const { files } = (await answer.json()) as { files: Stored[] };
  expect(files).toHaveLength(1);
  return files[0]!;
}

test('the page is served', async () => {
  const page = await fetch(app.base);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('action="/api/files/upload"');
});

test('a multipart upload through the route handler is stored and served back whole', async () => {
  // Past the 10 MB a Next.js proxy would buffer: nothing on the way cuts or holds the body.
  const bytes = randomBytes(12 * 1024 * 1024);
  const stored = await upload(new File([bytes], 'big.bin', { type: 'application/octet-stream' }));
  expect(stored).toMatchObject({ name: 'big.bin', size: bytes.length, sha256: sha256(bytes) });
  expect(stored.url).toBe(`/api/files/${stored.id}`);

  const download = await fetch(`${app.base}${stored.url}`);
  expect(download.status).toBe(200);
  // Next.js drops Content-Length from every route handler's answer (16.x): chunked instead.
  expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
});

test('a download with Range answers 206 with those bytes, and 416 past the end', async () => {
  const text = 'updown through an App Router route handler\n';
  const stored = await upload(new File([text], 'notes.txt', { type: 'text/plain' }));

  const part = await fetch(`${app.base}${stored.url}`, { headers: { range: 'bytes=7-13' } });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe(`bytes 7-13/${text.length}`);
  expect(await part.text()).toBe(text.slice(7, 14));

  const etag = part.headers.get('etag');
  expect(etag).toBeTruthy();
  const unchanged = await fetch(`${app.base}${stored.url}`, {
    headers: { 'if-none-match': etag! },
  });
  expect(unchanged.status).toBe(304);

  const head = await fetch(`${app.base}${stored.url}`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('etag')).toBe(etag);
  expect(head.headers.get('content-disposition')).toContain('notes.txt');

  const past = await fetch(`${app.base}${stored.url}`, { headers: { range: 'bytes=999-' } });
  expect(past.status).toBe(416);
  await past.body?.cancel();
});

test('a tus upload with tus-js-client, in several PATCHes, is served at GET /:id', async () => {
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const url = await new Promise<string>((resolve, reject) => {
    const tus = new Upload(bytes, {
      endpoint: `${app.base}/api/files/tus`,
      chunkSize: 1024 * 1024,
      metadata: { filename: 'resumable.bin', filetype: 'application/octet-stream' },
      retryDelays: [],
      onError: reject,
      onSuccess: () => resolve(tus.url!),
    });
    tus.start();
  });
  const id = url.split('/').pop()!;
  expect(new URL(url, app.base).pathname).toBe(`/api/files/tus/${id}`);

  const download = await fetch(`${app.base}/api/files/${id}`);
  expect(download.status).toBe(200);
  expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
  expect(download.headers.get('content-disposition')).toContain('resumable.bin');
});

/** Every entry of the upload folder, the partial folder's included. */
function stored(): string[] {
  return readdirSync(uploads, { recursive: true, encoding: 'utf8' }).sort();
}

/** Polls until `done()` holds, for at most `ms`; resolves with whether it did. */
async function eventually(done: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test('a client gone mid-upload leaves nothing behind (request.signal reaches the handler)', async () => {
  const before = stored().join();
  const boundary = 'updown-cut';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const req = request(`${app.base}/api/files/upload`, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + 8 * 1024 * 1024),
    },
  });
  req.on('error', () => {});
  req.write(head);
  req.write(randomBytes(2 * 1024 * 1024));
  // The bytes are being written to a partial file when the client goes away, half-way.
  expect(await eventually(() => stored().join() !== before)).toBe(true);
  req.destroy();
  expect(await eventually(() => stored().join() === before)).toBe(true);
});

test('a path outside the contract is 404 JSON from the handler', async () => {
  const missing = await fetch(`${app.base}/api/files/upload/extra`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toContain('application/json');
  await missing.body?.cancel();
});
