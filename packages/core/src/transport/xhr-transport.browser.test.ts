import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Busboy, { type BusboyHeaders } from '@fastify/busboy';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

/** What the page puts on `globalThis.updown`. */
type PageApi = typeof Core;

// xhrTransport in a real browser: Chromium loads a page that imports the core (bundled from
// the sources by esbuild), builds a File of a few MiB and uploads it to this server.

interface Received {
  bytes: number;
  ended: boolean;
  closedBeforeEnd: boolean;
  sha256?: string;
  fields?: Record<string, string>;
}

// Larger than what loopback socket buffers absorb at once, so the browser sees the upload
// progress over time instead of handing the whole body to the kernel in one go.
const FILE_SIZE = 24 * 1024 * 1024 + 17;

/** The same bytes the page makes: a pattern, so both sides know them without sending them. */
function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 255;
  return bytes;
}

let corePage: CorePage;
let page: Page;
const received: Received[] = [];
let onClose: (() => void) | null = null;

/** The upload endpoints: read slowly, note what arrived, answer as each path says. */
function receive(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET') return false;
  const seen: Received = { bytes: 0, ended: false, closedBeforeEnd: false };
  received.push(seen);
  req.on('end', () => {
    seen.ended = true;
  });
  req.on('close', () => {
    if (!seen.ended) seen.closedBeforeEnd = true;
    onClose?.();
  });
  // Read slowly (a chunk, then a pause) so the upload takes long enough for several progress
  // events, and a cancel lands mid-upload.
  const pauseMs = req.url === '/slow' ? 30 : 8;
  req.on('data', (chunk: Buffer) => {
    seen.bytes += chunk.length;
    req.pause();
    setTimeout(() => req.resume(), pauseMs);
  });
  if (req.url === '/slow') return true;
  if (req.url === '/reject') {
    req.on('end', () => {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'file-too-large', message: 'Too big' } }));
    });
    return true;
  }
  const busboy = new Busboy({ headers: req.headers as BusboyHeaders });
  const fields: Record<string, string> = {};
  const hash = createHash('sha256');
  busboy.on('field', (name, value) => {
    fields[name] = value;
  });
  busboy.on('file', (_field, stream) => {
    stream.on('data', (chunk: Buffer) => hash.update(chunk));
  });
  busboy.on('finish', () => {
    seen.sha256 = hash.digest('hex');
    seen.fields = fields;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, fields }));
  });
  req.pipe(busboy);
  return true;
}

beforeAll(async () => {
  corePage = await openCorePage({ route: receive });
  page = corePage.page;
}, 60_000);

afterAll(() => corePage?.close());

describe('xhrTransport in Chromium', () => {
  it('uploads a few MiB with several progress events and the right bytes', async () => {
    const outcome = await page.evaluate(
      async ({ size }) => {
        const { xhrTransport } = (globalThis as unknown as { updown: PageApi }).updown;
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 255;
        const file = new File([bytes], 'pattern.bin', { type: 'application/octet-stream' });
        const events: [number, number][] = [];
        const response = await xhrTransport({ endpoint: '/upload', headers: { 'x-test': '1' } })(
          { id: 'a', file, name: file.name, size: file.size, type: file.type, attempt: 1 },
          {
            signal: new AbortController().signal,
            onProgress: (loaded: number, total: number) => events.push([loaded, total]),
            metadata: { album: 'été' },
          },
        );
        return { events, response };
      },
      { size: FILE_SIZE },
    );
    const seen = received.at(-1)!;
    expect(outcome.response).toEqual({ ok: true, fields: { album: 'été' } });
    expect(seen.fields).toEqual({ album: 'été' });
    expect(seen.sha256).toBe(createHash('sha256').update(pattern(FILE_SIZE)).digest('hex'));
    expect(outcome.events.length).toBeGreaterThanOrEqual(3);
    const [loaded, total] = outcome.events.at(-1)!;
    expect(loaded).toBe(total);
    expect(total).toBe(seen.bytes);
    expect(total).toBeGreaterThan(FILE_SIZE);
  });

  it('rejects with the server error code, or network-error, as UploadHttpError', async () => {
    const codes = await page.evaluate(async () => {
      const { xhrTransport } = (globalThis as unknown as { updown: PageApi }).updown;
      const file = new File(['x'], 'x.txt');
      const item = { id: 'a', file, name: 'x.txt', size: 1, type: '', attempt: 1 };
      const context = { signal: new AbortController().signal, onProgress() {}, metadata: {} };
      const unreachable = await xhrTransport({ endpoint: 'http://127.0.0.1:1/upload' })(
        item,
        context,
      ).catch((e: { name: string; code: string; status: number }) => [e.name, e.code, e.status]);
      const rejected = await xhrTransport({ endpoint: '/reject' })(item, context).catch(
        (e: { name: string; code: string; status: number; message: string }) => [
          e.name,
          e.code,
          e.status,
          e.message,
        ],
      );
      return { unreachable, rejected };
    });
    expect(codes.unreachable).toEqual(['UploadHttpError', 'network-error', 0]);
    expect(codes.rejected).toEqual(['UploadHttpError', 'file-too-large', 413, 'Too big']);
  });

  it('a cancel mid-upload is seen by the server as an aborted request', async () => {
    const closed = new Promise<void>((resolve) => {
      onClose = resolve;
    });
    const outcome = await page.evaluate(async () => {
      const { xhrTransport } = (globalThis as unknown as { updown: PageApi }).updown;
      const file = new File([new Uint8Array(32 * 1024 * 1024)], 'big.bin');
      const controller = new AbortController();
      let last = 0;
      const error = await xhrTransport({ endpoint: '/slow' })(
        { id: 'a', file, name: file.name, size: file.size, type: '', attempt: 1 },
        {
          signal: controller.signal,
          onProgress: (loaded: number) => {
            last = loaded;
            if (loaded > 512 * 1024) controller.abort();
          },
          metadata: {},
        },
      ).catch((e: Error) => e.name);
      return { error, last, size: file.size };
    });
    await closed;
    onClose = null;
    const seen = received.at(-1)!;
    expect(outcome.error).toBe('AbortError');
    expect(outcome.last).toBeLessThan(outcome.size);
    expect(seen.ended).toBe(false);
    expect(seen.closedBeforeEnd).toBe(true);
    expect(seen.bytes).toBeLessThan(outcome.size);
  });

  it('createUploader picks XHR in the browser and reports the item done', async () => {
    const item = await page.evaluate(async () => {
      const { createUploader } = (globalThis as unknown as { updown: PageApi }).updown;
      const up = createUploader({ endpoint: '/upload', metadata: { via: 'uploader' } });
      await up.add([new File([new Uint8Array(300_000)], 'u.bin')]);
      const [done] = await up.upload();
      return { status: done?.status, percent: done?.progress.percent, response: done?.response };
    });
    expect(item).toEqual({
      status: 'success',
      percent: 100,
      response: { ok: true, fields: { via: 'uploader' } },
    });
  });
});
