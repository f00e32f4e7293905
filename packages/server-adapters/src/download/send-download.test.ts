import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type DownloadBody, type SendDownloadOptions, sendDownload } from './send-download';

let server: Server | undefined;

async function serve(
  data: () => DownloadBody,
  filename: string,
  options?: SendDownloadOptions,
): Promise<string> {
  server = createServer((_req, res: ServerResponse) => {
    sendDownload(res, data(), filename, options).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('sendDownload', () => {
  it('sends a string as UTF-8 text with a length and an attachment name', async () => {
    const url = await serve(() => 'héllo', 'greeting.txt');
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('6');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="greeting.txt"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('héllo');
  });

  it('sends bytes (Buffer, Uint8Array view, ArrayBuffer) as they are', async () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    for (const data of [
      Buffer.from([1, 2, 3]),
      backing.subarray(2, 5),
      new Uint8Array([1, 2, 3]).buffer,
    ]) {
      const url = await serve(() => data, 'bytes.bin');
      const res = await fetch(url);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3]);
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('streams a Readable without a length', async () => {
    const url = await serve(
      () => Readable.from(['a', 'b', 'c'].map((s) => Buffer.from(s.repeat(100_000)))),
      'big.txt',
      {
        mimeType: 'text/plain',
      },
    );
    const res = await fetch(url);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-type')).toBe('text/plain');
    const text = await res.text();
    expect(text.length).toBe(300_000);
    expect(text.endsWith('c')).toBe(true);
  });

  it('sends any other value as JSON', async () => {
    const url = await serve(() => ({ rows: [1, 2], ok: true }), 'data.json');
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ rows: [1, 2], ok: true });
  });

  it('names non-ASCII files with filename*, inline on request', async () => {
    const url = await serve(() => 'x', 'rapport €.txt', {
      mimeType: 'text/plain',
      disposition: 'inline',
    });
    const res = await fetch(url);
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="rapport _.txt"; filename*=UTF-8''rapport%20%E2%82%AC.txt`,
    );
  });

  it('sends an active type (HTML, SVG, CSV...) as an attachment under the sandboxing policy, inline or not', async () => {
    for (const mimeType of ['text/html', 'image/svg+xml', 'text/csv']) {
      const url = await serve(() => '<script>alert(1)</script>', 'page', {
        mimeType,
        disposition: 'inline',
      });
      const res = await fetch(url);
      expect(res.headers.get('content-disposition'), mimeType).toBe('attachment; filename="page"');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
      await res.arrayBuffer();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('answers HEAD with the headers only', async () => {
    const url = await serve(() => 'abc', 'a.txt');
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.headers.get('content-length')).toBe('3');
    expect(await res.text()).toBe('');
  });
});
