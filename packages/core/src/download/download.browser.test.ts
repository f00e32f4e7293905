import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';

const FILE = Buffer.alloc(200_000).map((_, i) => (i * 7 + (i >> 8)) % 256);

let corePage: CorePage;
let otherOrigin: Server;
let pageUrl: string;
let otherUrl: string;
let page: Page;
const flakyRequests: { range?: string; ifRange?: string | string[] }[] = [];

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

/** The files the page downloads from its own origin. */
function files(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url === '/files/flaky.bin') {
    const headers = {
      'Accept-Ranges': 'bytes',
      ETag: '"flaky-1"',
      'Content-Type': 'application/octet-stream',
    };
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    flakyRequests.push({ range: req.headers.range, ifRange: req.headers['if-range'] });
    if (start > 0 && req.headers['if-range'] === '"flaky-1"') {
      res.writeHead(206, {
        ...headers,
        'Content-Length': FILE.length - start,
        'Content-Range': `bytes ${start}-${FILE.length - 1}/${FILE.length}`,
      });
      res.end(FILE.subarray(start));
    } else {
      // Half the file, then the connection drops.
      res.writeHead(200, { ...headers, 'Content-Length': FILE.length });
      res.write(FILE.subarray(0, FILE.length / 2), () => setTimeout(() => res.destroy(), 50));
    }
    return true;
  }
  if (req.url === '/files/original.bin') {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': FILE.length,
    });
    res.end(FILE);
    return true;
  }
  return false;
}

beforeAll(async () => {
  // The other origin must know the page's to allow it; the page's port is known only once
  // it listens, so the header is read when a request comes.
  [otherOrigin, otherUrl] = await listen((req, res) => {
    res.writeHead(200, {
      'Access-Control-Allow-Origin': pageUrl,
      'Content-Type': 'application/octet-stream',
      'Content-Length': FILE.length,
    });
    res.end(req.method === 'HEAD' ? undefined : FILE);
  });
  corePage = await openCorePage({
    route: files,
    // Record every object URL made and revoked, before any page script runs.
    initScript: () => {
      const record = window as unknown as { created: string[]; revoked: string[] };
      record.created = [];
      record.revoked = [];
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        const url = create(object);
        record.created.push(url);
        return url;
      };
      URL.revokeObjectURL = (url: string) => {
        record.revoked.push(url);
        revoke(url);
      };
    },
  });
  pageUrl = corePage.origin;
  page = corePage.page;
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  otherOrigin?.closeAllConnections();
  await new Promise((resolve) => otherOrigin?.close(resolve));
});

/** Runs `script` in the page and returns the file the browser saved because of it. */
async function savedBy(script: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.evaluate(script),
  ]);
  return { name: download.suggestedFilename(), bytes: await bytesOf(download) };
}

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

type Core = typeof import('../index');
declare const updown: Core;

describe('downloads in Chromium', () => {
  it('saves a same-origin URL under a new name through a link', async () => {
    const saved = await savedBy(() =>
      updown.download({ url: '/files/original.bin', filename: 'renamed.bin' }),
    );
    expect(saved.name).toBe('renamed.bin');
    expect(saved.bytes.equals(FILE)).toBe(true);
  });

  it('fetches a cross-origin URL with progress and saves the bytes', async () => {
    await page.evaluate((url) => {
      (window as unknown as { target: string }).target = url;
    }, `${otherUrl}/elsewhere/blob`);
    const saved = await savedBy(async () => {
      const percents: (number | null)[] = [];
      await updown.download({
        url: (window as unknown as { target: string }).target,
        filename: 'fetched',
        revokeDelayMs: 50,
        onProgress: (p) => percents.push(p.percent),
      });
      (window as unknown as { percents: (number | null)[] }).percents = percents;
    });
    expect(saved.name).toBe('fetched.bin');
    expect(saved.bytes.equals(FILE)).toBe(true);
    const percents = await page.evaluate(
      () => (window as unknown as { percents: number[] }).percents,
    );
    expect(percents.at(-1)).toBe(100);
  });

  it('saves a JSON value made on the spot', async () => {
    const saved = await savedBy(() =>
      updown.download({
        data: { hello: 'wörld', list: [1, 2, 3] },
        filename: 'value',
        revokeDelayMs: 50,
      }),
    );
    expect(saved.name).toBe('value.json');
    expect(JSON.parse(saved.bytes.toString('utf8'))).toEqual({ hello: 'wörld', list: [1, 2, 3] });
  });

  it('saves a canvas as a PNG of its size', async () => {
    const saved = await savedBy(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 3;
      canvas.height = 2;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#ff0000';
      context.fillRect(0, 0, 3, 2);
      return updown.download({ data: canvas, filename: 'chart', revokeDelayMs: 50 });
    });
    expect(saved.name).toBe('chart.png');
    expect(saved.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height are the canvas's.
    expect(saved.bytes.readUInt32BE(16)).toBe(3);
    expect(saved.bytes.readUInt32BE(20)).toBe(2);
  });

  it('turns ImageData, ImageBitmap, OffscreenCanvas and <img> into images', async () => {
    const results = await page.evaluate(async () => {
      const data = new ImageData(new Uint8ClampedArray(4 * 4 * 4).fill(200), 4, 4);
      const bitmap = await createImageBitmap(data);
      const offscreen = new OffscreenCanvas(5, 6);
      offscreen.getContext('2d')!.fillRect(0, 0, 5, 6);
      const image = new Image();
      image.src = URL.createObjectURL(await updown.toBlob(data));
      await image.decode();
      const blobs = [
        await updown.toBlob(data),
        await updown.toBlob(bitmap, 'image/jpeg'),
        await updown.toBlob(offscreen, 'image/webp'),
        await updown.toBlob(image),
      ];
      URL.revokeObjectURL(image.src);
      return Promise.all(
        blobs.map(async (blob) => {
          const decoded = await createImageBitmap(blob);
          return { type: blob.type, width: decoded.width, height: decoded.height };
        }),
      );
    });
    expect(results).toEqual([
      { type: 'image/png', width: 4, height: 4 },
      { type: 'image/jpeg', width: 4, height: 4 },
      { type: 'image/webp', width: 5, height: 6 },
      { type: 'image/png', width: 4, height: 4 },
    ]);
  });

  it('gives createDownloader byte progress from the stream, without saving when asked', async () => {
    const result = await page.evaluate(async () => {
      const dl = updown.createDownloader({ url: '/files/original.bin', notifyIntervalMs: 0 });
      const loaded: number[] = [];
      dl.subscribe((state) => loaded.push(state.progress.loaded));
      const blob = await dl.start({ save: false });
      return {
        size: blob.size,
        status: dl.getState().status,
        last: loaded.at(-1),
        total: dl.getState().progress.total,
      };
    });
    expect(result).toEqual({
      size: FILE.length,
      status: 'success',
      last: FILE.length,
      total: FILE.length,
    });
  });

  it('resumes an interrupted download with Range and If-Range, byte-exact', async () => {
    const result = await page.evaluate(async () => {
      const dl = updown.createDownloader({ url: '/files/flaky.bin' });
      const first = await dl.start({ save: false }).then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      const failed = dl.getState();
      const blob = await dl.start({ save: false });
      const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      return {
        first,
        failed: {
          status: failed.status,
          canResume: failed.canResume,
          loaded: failed.progress.loaded,
        },
        size: blob.size,
        sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
      };
    });
    expect(result.first).toBe('TypeError');
    expect(result.failed).toMatchObject({ status: 'error', canResume: true });
    expect(result.failed.loaded).toBeGreaterThan(0);
    expect(result.size).toBe(FILE.length);
    expect(result.sha256).toBe(createHash('sha256').update(FILE).digest('hex'));
    expect(flakyRequests).toEqual([
      { range: undefined, ifRange: undefined },
      { range: `bytes=${result.failed.loaded}-`, ifRange: '"flaky-1"' },
    ]);
  });

  it('revokes every object URL it made', async () => {
    await page.waitForFunction(
      () => {
        const record = window as unknown as { created: string[]; revoked: string[] };
        return (
          record.created.length >= 3 && record.created.every((url) => record.revoked.includes(url))
        );
      },
      undefined,
      { timeout: 10_000 },
    );
    const { created, revoked } = await page.evaluate(
      () => window as unknown as { created: string[]; revoked: string[] },
    );
    expect(new Set(revoked)).toEqual(new Set(created));
  });
});
