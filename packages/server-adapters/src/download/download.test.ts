import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../storage/memory-storage';
import { BASE, send, startServer, type TestServer, upload } from '../test-support/handler-test-kit';

const DATA = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const SHA = createHash('sha256').update(DATA).digest('hex');

let server: TestServer;
let path: string;
let lastModified: string;

beforeAll(async () => {
  server = await startServer({ storage: memoryStorage() });
  const res = await upload(server, [
    { name: 'file', filename: 'data.bin', type: 'application/x-test', data: DATA },
  ]);
  path = String(res.json().files?.[0]?.url);
  lastModified = String((await send(server, path, { method: 'HEAD' })).headers['last-modified']);
});
afterAll(() => server.close());

describe('GET and HEAD', () => {
  it('serves the whole file with validators, type, nosniff and an attachment disposition', async () => {
    const res = await send(server, path);
    expect(res.status).toBe(200);
    expect(res.body.equals(DATA)).toBe(true);
    expect(res.headers).toMatchObject({
      // Declared `application/x-test`, but nothing vouches for it: the server serves bytes.
      'content-type': 'application/octet-stream',
      'content-length': '1000',
      'accept-ranges': 'bytes',
      etag: `"${SHA}"`,
      'x-content-type-options': 'nosniff',
      'content-disposition': 'attachment; filename="data.bin"',
    });
    expect(new Date(lastModified).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('HEAD sends the same headers and no body', async () => {
    const [get, head] = [await send(server, path), await send(server, path, { method: 'HEAD' })];
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of [
      'content-type',
      'content-length',
      'etag',
      'last-modified',
      'content-disposition',
    ]) {
      expect(head.headers[name]).toBe(get.headers[name]);
    }
  });

  it('?disposition=inline asks the browser to show a file of a safe type, and only that', async () => {
    const text = await upload(server, [
      { name: 'file', filename: 'note.txt', type: 'text/plain', data: 'hi' },
    ]);
    const shown = await send(server, `${text.json().files?.[0]?.url}?disposition=inline`);
    expect(shown.headers['content-disposition']).toBe('inline; filename="note.txt"');
    const bytes = await send(server, `${path}?disposition=inline`);
    expect(bytes.headers['content-disposition']).toBe('attachment; filename="data.bin"');
  });
});

describe('Range', () => {
  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=990-', 990, 999],
    ['bytes=-5', 995, 999],
    ['bytes=500-5000', 500, 999],
    ['bytes=10-19,15-29', 10, 29],
  ])('%s is 206 with bytes %i-%i', async (range, start, end) => {
    const res = await send(server, path, { headers: { Range: range } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.body.equals(DATA.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=1000-', 'bytes=5000-6000'])(
    '%s is 416 with Content-Range bytes */size',
    async (range) => {
      const res = await send(server, path, { headers: { Range: range } });
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */1000');
      expect(res.json().error?.code).toBe('range-not-satisfiable');
    },
  );

  it.each(['bytes=abc', 'items=0-5', 'bytes=0-1,5-6'])(
    '%s is ignored: 200 with the whole file',
    async (range) => {
      const res = await send(server, path, { headers: { Range: range } });
      expect(res.status).toBe(200);
      expect(res.body.equals(DATA)).toBe(true);
    },
  );

  it('HEAD with a Range answers the 200 headers without a body: Range is for GET alone (RFC 9110 14.2)', async () => {
    const res = await send(server, path, { method: 'HEAD', headers: { Range: 'bytes=0-99' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.length).toBe(0);
  });

  it('If-Range: a matching ETag or date gives the range, anything else the whole file', async () => {
    const range = { Range: 'bytes=0-9' };
    expect(
      (await send(server, path, { headers: { ...range, 'If-Range': `"${SHA}"` } })).status,
    ).toBe(206);
    expect(
      (await send(server, path, { headers: { ...range, 'If-Range': lastModified } })).status,
    ).toBe(206);
    const stale = await send(server, path, {
      headers: { ...range, 'If-Range': '"something-else"' },
    });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(1000);
    // A weak tag never satisfies If-Range.
    expect(
      (await send(server, path, { headers: { ...range, 'If-Range': `W/"${SHA}"` } })).status,
    ).toBe(200);
    const old = new Date(Date.parse(lastModified) - 3_600_000).toUTCString();
    expect((await send(server, path, { headers: { ...range, 'If-Range': old } })).status).toBe(200);
  });
});

describe('conditional requests', () => {
  it.each([`"${SHA}"`, `W/"${SHA}"`, `"other", "${SHA}"`, '*'])(
    'If-None-Match %s is 304',
    async (tag) => {
      const res = await send(server, path, { headers: { 'If-None-Match': tag } });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(`"${SHA}"`);
    },
  );

  it('If-None-Match with another tag is 200, and wins over If-Modified-Since', async () => {
    const res = await send(server, path, {
      headers: {
        'If-None-Match': '"other"',
        'If-Modified-Since': new Date(Date.now() + 60_000).toUTCString(),
      },
    });
    expect(res.status).toBe(200);
  });

  it('If-Modified-Since: 304 at or after Last-Modified, 200 before it, ignored when invalid', async () => {
    expect(
      (await send(server, path, { headers: { 'If-Modified-Since': lastModified } })).status,
    ).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await send(server, path, { headers: { 'If-Modified-Since': earlier } })).status).toBe(
      200,
    );
    expect(
      (await send(server, path, { headers: { 'If-Modified-Since': 'yesterday' } })).status,
    ).toBe(200);
  });

  it('HEAD is conditional too', async () => {
    const res = await send(server, path, {
      method: 'HEAD',
      headers: { 'If-None-Match': `"${SHA}"` },
    });
    expect(res.status).toBe(304);
  });
});

describe('empty files and streaming', () => {
  it('serves an empty file, and 416 for a range from a first position (none is in it)', async () => {
    const res = await upload(server, [
      { name: 'file', filename: 'empty.txt', type: 'text/plain', data: '' },
    ]);
    const url = String(res.json().files?.[0]?.url);
    const get = await send(server, url);
    expect(get.status).toBe(200);
    expect(get.headers['content-length']).toBe('0');
    expect((await send(server, url, { headers: { Range: 'bytes=0-' } })).status).toBe(416);
  });

  it('streams a large file from disk storage with fetch, byte for byte', async () => {
    const disk = await startServer();
    try {
      const big = Buffer.alloc(12 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
      const res = await upload(disk, [{ name: 'file', filename: 'big.bin', data: big }]);
      const got = await fetch(`${disk.origin}${res.json().files?.[0]?.url}`);
      expect(Buffer.from(await got.arrayBuffer()).equals(big)).toBe(true);
      const ranged = await fetch(`${disk.origin}${res.json().files?.[0]?.url}`, {
        headers: { Range: 'bytes=5000000-5000099' },
      });
      expect(ranged.status).toBe(206);
      expect(
        Buffer.from(await ranged.arrayBuffer()).equals(big.subarray(5_000_000, 5_000_100)),
      ).toBe(true);
    } finally {
      await disk.close();
    }
  });

  it('a client that leaves mid-download does not break the server', async () => {
    const disk = await startServer();
    try {
      const big = Buffer.alloc(8 * 1024 * 1024, 1);
      const res = await upload(disk, [{ name: 'file', filename: 'big.bin', data: big }]);
      const url = `${disk.origin}${res.json().files?.[0]?.url}`;
      const controller = new AbortController();
      const got = await fetch(url, { signal: controller.signal });
      const reader = got.body?.getReader();
      await reader?.read();
      controller.abort();
      const again = await fetch(url, { method: 'HEAD' });
      expect(again.status).toBe(200);
      expect(BASE.length).toBeGreaterThan(0);
    } finally {
      await disk.close();
    }
  });
});
