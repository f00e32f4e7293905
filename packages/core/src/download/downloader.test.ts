import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeScheduler } from '../shared/test-support/fake-scheduler';
import { DownloadHttpError } from './download-http-error';
import { createDownloader } from './downloader';
import type { DownloaderState } from './downloader-types';
import type { SaveWindow } from './save-blob';

const SIZE = 1024 * 1024;
const CHUNK = 64 * 1024;
const BODY = Buffer.alloc(SIZE, 0).map((_, i) => (i * 31 + (i >> 10)) % 251);
const ETAG = '"v1-abc"';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes `body` in chunks with a pause between, so progress has several steps. */
async function writeSlowly(res: ServerResponse, body: Uint8Array, pauseMs = 5): Promise<void> {
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    if (res.destroyed) return;
    res.write(body.subarray(offset, offset + CHUNK));
    await sleep(pauseMs);
  }
  res.end();
}

function record(downloader: ReturnType<typeof createDownloader>): DownloaderState[] {
  const states: DownloaderState[] = [];
  downloader.subscribe((state) => states.push(state));
  return states;
}

async function bytes(blob: Blob): Promise<Buffer> {
  return Buffer.from(await blob.arrayBuffer());
}

/** Byte-exact, without a slow element-by-element deep equal of a MiB. */
async function expectBody(blob: Blob): Promise<void> {
  const received = await bytes(blob);
  expect(received.length).toBe(BODY.length);
  expect(received.equals(BODY)).toBe(true);
}

/**
 * A server on the fake clock: `fetch` answers with `headers` at once, then the body one
 * chunk per read, each `pauseMs` of fake time after the last (timers due meanwhile run).
 */
function paced(headers: Record<string, string>, body: Uint8Array, pauseMs: number) {
  const clock = fakeScheduler();
  const doFetch = (async () => {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (offset >= body.length) {
            controller.close();
            return;
          }
          clock.advance(pauseMs);
          controller.enqueue(body.slice(offset, offset + CHUNK));
          offset += CHUNK;
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(stream, { status: 200, headers });
  }) as typeof fetch;
  return { clock, scheduler: clock.scheduler, fetch: doFetch };
}

describe('createDownloader on a fake clock', () => {
  it('reports byte progress from the stream and reaches the total', async () => {
    // 16 chunks 25 ms apart: the speed meter's 100 ms samples see several of them.
    const server = paced(
      { 'Content-Type': 'application/octet-stream', 'Content-Length': String(SIZE) },
      BODY,
      25,
    );
    const dl = createDownloader(
      { url: 'http://files.test/files/data.bin', notifyIntervalMs: 0, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const states = record(dl);
    const blob = await dl.start();

    await expectBody(blob);
    expect(blob.type).toBe('application/octet-stream');
    const during = states.filter((s) => s.status === 'downloading' && s.progress.loaded > 0);
    expect(during.length).toBeGreaterThanOrEqual(4);
    for (const state of during) {
      expect(state.progress.total).toBe(SIZE);
      expect(state.progress.percent).toBeCloseTo((state.progress.loaded / SIZE) * 100);
    }
    const loaded = during.map((s) => s.progress.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(during.some((s) => s.progress.bytesPerSecond > 0)).toBe(true);
    expect(during.some((s) => s.progress.etaSeconds !== null)).toBe(true);
    const last = dl.getState();
    expect(last.status).toBe('success');
    expect(last.progress).toMatchObject({ loaded: SIZE, total: SIZE, percent: 100 });
    expect(last.blob).toBe(blob);
    expect(last.filename).toBe('data.bin');
    expect(states.map((s) => s.status)).toEqual([
      'downloading',
      ...states.slice(1, -1).map(() => 'downloading'),
      'success',
    ]);
  });

  it('measures the speed by the injected clock', async () => {
    // 64 KiB each 25 ms: 2.5 MiB/s.
    const server = paced({ 'Content-Length': String(SIZE) }, BODY, 25);
    const dl = createDownloader(
      { url: 'http://files.test/x', notifyIntervalMs: 0, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const states = record(dl);
    await dl.start();
    const late = states.filter((s) => s.status === 'downloading' && s.progress.loaded > SIZE / 2);
    expect(late.length).toBeGreaterThan(0);
    for (const state of late) {
      expect(state.progress.bytesPerSecond).toBeCloseTo((CHUNK * 1000) / 25, -3);
      expect(state.progress.etaSeconds).toBeCloseTo(
        (SIZE - state.progress.loaded) / state.progress.bytesPerSecond,
        5,
      );
    }
  });

  it('throttles listeners but always tells the final state', async () => {
    // Every chunk at the same instant: nothing is due until the 60 s interval passes.
    const server = paced({ 'Content-Length': String(SIZE) }, BODY, 0);
    const dl = createDownloader(
      { url: 'http://files.test/x', notifyIntervalMs: 60_000, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const states = record(dl);
    const told: number[] = [];
    const withCallback = createDownloader(
      {
        url: 'http://files.test/x',
        notifyIntervalMs: 60_000,
        onProgress: (p) => told.push(p.loaded),
        fetch: server.fetch,
      },
      { scheduler: server.scheduler },
    );
    await dl.start();
    await withCallback.start();
    // start, the first progress, then success: the many chunks in between are folded away.
    expect(states.length).toBeLessThanOrEqual(3);
    expect(states.at(-1)?.status).toBe('success');
    expect(told.at(-1)).toBe(SIZE);
    // Nothing is left waiting on the clock once the download settled.
    expect(server.clock.pending()).toBe(0);
  });

  it('tells byte counts at most once per interval, the latest when it is due', async () => {
    const server = paced({ 'Content-Length': String(SIZE) }, BODY, 10);
    const dl = createDownloader(
      { url: 'http://files.test/x', notifyIntervalMs: 100, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const told: { at: number; state: DownloaderState }[] = [];
    dl.subscribe((state) => told.push({ at: server.clock.now(), state }));
    await dl.start();
    const progress = told.filter(({ state }) => state.status === 'downloading');
    // 16 chunks over 160 ms: the start, the answer, then one count per 100 ms.
    expect(progress.length).toBeLessThanOrEqual(4);
    for (let i = 2; i < progress.length; i++) {
      expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(100);
    }
    expect(told.at(-1)?.state).toMatchObject({ status: 'success', progress: { loaded: SIZE } });
  });

  it('a throwing listener does not stop the others, and the error still surfaces', async () => {
    const server = paced({ 'Content-Length': String(SIZE) }, BODY, 25);
    const dl = createDownloader(
      { url: 'http://files.test/x', notifyIntervalMs: 0, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const surfaced: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (fn) =>
      original(() => {
        try {
          fn();
        } catch (error) {
          surfaced.push(error);
        }
      });
    try {
      dl.subscribe(() => {
        throw new Error('boom');
      });
      const states = record(dl);
      await dl.start();
      expect(states.at(-1)?.status).toBe('success');
      expect(states.filter((s) => s.status === 'downloading').length).toBeGreaterThan(2);
      await Promise.resolve();
      expect(surfaced.length).toBeGreaterThan(0);
      expect(surfaced[0]).toMatchObject({ message: 'boom' });
    } finally {
      globalThis.queueMicrotask = original;
    }
  });

  it('leaves total and percent null when the length is unknown (chunked)', async () => {
    const server = paced({ 'Content-Type': 'text/plain' }, BODY, 5);
    const dl = createDownloader(
      { url: 'http://files.test/log', notifyIntervalMs: 0, fetch: server.fetch },
      { scheduler: server.scheduler },
    );
    const states = record(dl);
    const blob = await dl.start();
    await expectBody(blob);
    const during = states.filter((s) => s.status === 'downloading' && s.progress.loaded > 0);
    expect(during.length).toBeGreaterThanOrEqual(4);
    for (const state of states) {
      expect(state.progress.total).toBeNull();
      expect(state.progress.percent).toBeNull();
      expect(state.progress.etaSeconds).toBeNull();
    }
    expect(dl.getState().progress.loaded).toBe(SIZE);
    // No extension given and text/plain: one is added.
    expect(dl.getState().filename).toBe('log.txt');
  });
});

describe('createDownloader against a real server', () => {
  it('cancels mid-way: status cancelled (not error) and the server sees the connection close', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': SIZE });
      res.write(BODY.subarray(0, CHUNK));
      res.on('close', closed);
      // …and never the rest.
    });
    const dl = createDownloader({ url: `${base}/big`, notifyIntervalMs: 0 });
    dl.subscribe((state) => {
      if (state.progress.loaded > 0 && state.status === 'downloading') dl.cancel();
    });
    const result = dl.start();
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    await serverSawClose;
    expect(dl.getState().status).toBe('cancelled');
    expect(dl.getState().error).toBeUndefined();
    expect(dl.getState().canResume).toBe(false);
  });

  it('cancels through a signal given to start()', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': SIZE });
      res.write(BODY.subarray(0, CHUNK));
    });
    const controller = new AbortController();
    const dl = createDownloader({ url: `${base}/big`, notifyIntervalMs: 0 });
    dl.subscribe((state) => {
      if (state.progress.loaded > 0) controller.abort();
    });
    await expect(dl.start({ signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(dl.getState().status).toBe('cancelled');
  });

  it('resumes with Range and If-Range after the server cuts the connection', async () => {
    const cut = SIZE / 2 + 123;
    const requests: { range?: string; ifRange?: string }[] = [];
    const base = await serve((req, res) => {
      requests.push({
        range: req.headers.range,
        ifRange: req.headers['if-range'] as string | undefined,
      });
      const common = { 'Accept-Ranges': 'bytes', ETag: ETAG, 'Content-Type': 'application/zip' };
      const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (match && req.headers['if-range'] === ETAG) {
        const start = Number(match[1]);
        res.writeHead(206, {
          ...common,
          'Content-Length': SIZE - start,
          'Content-Range': `bytes ${start}-${SIZE - 1}/${SIZE}`,
        });
        void writeSlowly(res, BODY.subarray(start));
        return;
      }
      res.writeHead(200, { ...common, 'Content-Length': SIZE });
      res.write(BODY.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
    });
    const dl = createDownloader({ url: `${base}/archive`, notifyIntervalMs: 0 });
    const states = record(dl);

    await expect(dl.start()).rejects.toThrow();
    const failed = dl.getState();
    expect(failed.status).toBe('error');
    expect(failed.error?.code).toBe('network-error');
    expect(failed.canResume).toBe(true);
    const heldAtError = failed.progress.loaded;
    expect(heldAtError).toBeGreaterThan(0);
    expect(heldAtError).toBeLessThan(SIZE);

    const firstOfSecondRun = states.length;
    const blob = await dl.start();
    await expectBody(blob);
    expect(blob.type).toBe('application/zip');
    expect(dl.getState().filename).toBe('archive.zip');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual({ range: undefined, ifRange: undefined });
    expect(requests[1]).toEqual({ range: `bytes=${heldAtError}-`, ifRange: ETAG });
    // The second run counts on from the bytes held, never back from zero.
    const second = states.slice(firstOfSecondRun);
    expect(second[0]).toMatchObject({ status: 'downloading', progress: { loaded: heldAtError } });
    expect(second.every((s) => s.progress.loaded >= heldAtError)).toBe(true);
    expect(dl.getState().progress).toMatchObject({ loaded: SIZE, total: SIZE, percent: 100 });
  });

  it('uses Last-Modified for If-Range when the ETag is weak', async () => {
    const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const ifRanges: (string | undefined)[] = [];
    let first = true;
    const base = await serve((req, res) => {
      ifRanges.push(req.headers['if-range'] as string | undefined);
      const common = { 'Accept-Ranges': 'bytes', ETag: 'W/"weak"', 'Last-Modified': lastModified };
      if (first) {
        first = false;
        res.writeHead(200, { ...common, 'Content-Length': SIZE });
        res.write(BODY.subarray(0, CHUNK * 2), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1]);
      res.writeHead(206, { ...common, 'Content-Range': `bytes ${start}-${SIZE - 1}/${SIZE}` });
      res.end(BODY.subarray(start));
    });
    const dl = createDownloader({ url: `${base}/f` });
    await expect(dl.start({ save: false })).rejects.toThrow();
    await expectBody(await dl.start({ save: false }));
    expect(ifRanges).toEqual([undefined, lastModified]);
  });

  it('restarts cleanly when the server answers 200 to a Range request', async () => {
    let count = 0;
    const requests: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      requests.push(req.headers.range);
      count++;
      res.writeHead(200, { 'Accept-Ranges': 'bytes', ETag: ETAG, 'Content-Length': SIZE });
      if (count === 1) {
        res.write(BODY.subarray(0, SIZE / 4), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      void writeSlowly(res, BODY);
    });
    const dl = createDownloader({ url: `${base}/f.bin`, notifyIntervalMs: 0 });
    await expect(dl.start()).rejects.toThrow();
    const states = record(dl);
    const blob = await dl.start();
    expect(requests[1]).toMatch(/^bytes=\d+-$/);
    expect(blob.size).toBe(SIZE);
    await expectBody(blob);
    // Progress went back to zero with the full answer, and never past the total.
    expect(states.some((s) => s.status === 'downloading' && s.progress.loaded === 0)).toBe(true);
    expect(states.every((s) => s.progress.loaded <= SIZE)).toBe(true);
  });

  it.each([
    { answer: '416 Range Not Satisfiable', status: 416, contentRange: `bytes */${SIZE}` },
    {
      answer: '206 with the wrong range',
      status: 206,
      contentRange: `bytes 0-${SIZE - 1}/${SIZE}`,
    },
  ])('starts over without Range after a $answer', async ({ status, contentRange }) => {
    const requests: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      requests.push(req.headers.range);
      const common = { 'Accept-Ranges': 'bytes', ETag: ETAG };
      if (requests.length === 1) {
        res.writeHead(200, { ...common, 'Content-Length': SIZE });
        res.write(BODY.subarray(0, CHUNK * 3), () => setTimeout(() => res.destroy(), 20));
      } else if (req.headers.range) {
        res.writeHead(status, { ...common, 'Content-Range': contentRange });
        res.end(status === 206 ? BODY : undefined);
      } else {
        res.writeHead(200, { ...common, 'Content-Length': SIZE });
        res.end(BODY);
      }
    });
    const dl = createDownloader({ url: `${base}/f` });
    await expect(dl.start()).rejects.toThrow();
    await expectBody(await dl.start());
    expect(requests).toHaveLength(3);
    expect(requests[1]).toMatch(/^bytes=\d+-$/);
    expect(requests[2]).toBeUndefined();
  });

  it('does not resume when the server does not accept ranges', async () => {
    const requests: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      requests.push(req.headers.range);
      res.writeHead(200, { ETag: ETAG, 'Content-Length': SIZE });
      if (requests.length === 1)
        res.write(BODY.subarray(0, CHUNK), () => setTimeout(() => res.destroy(), 20));
      else res.end(BODY);
    });
    const dl = createDownloader({ url: `${base}/f` });
    await expect(dl.start()).rejects.toThrow();
    expect(dl.getState()).toMatchObject({ status: 'error', canResume: false });
    await expectBody(await dl.start());
    expect(requests).toEqual([undefined, undefined]);
  });

  it('maps HTTP errors to status and the server error code', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/missing') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'not-found', message: 'No such file' } }));
      } else if (req.url === '/secret') {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'forbidden', message: 'Not yours' } }));
      } else {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<h1>Bad gateway</h1>');
      }
    });
    const cases = [
      { path: '/missing', status: 404, code: 'not-found', message: 'No such file' },
      { path: '/secret', status: 403, code: 'forbidden', message: 'Not yours' },
      {
        path: '/broken',
        status: 502,
        code: 'http-502',
        message: 'Download failed with HTTP 502 Bad Gateway',
      },
    ];
    for (const { path, status, code, message } of cases) {
      const dl = createDownloader({ url: base + path });
      const error = await dl.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadHttpError);
      expect(error).toMatchObject({ status, code, message });
      expect(dl.getState()).toMatchObject({ status: 'error', error: { status, code, message } });
    }
  });

  it('names the file from Content-Disposition unless a filename is given', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/csv',
        'Content-Disposition':
          'attachment; filename="r.csv"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.csv',
      });
      res.end('a,b\n');
    });
    const fromServer = createDownloader({ url: `${base}/api/files/123` });
    await fromServer.start();
    expect(fromServer.getState().filename).toBe('résumé.csv');
    const renamed = createDownloader({ url: `${base}/api/files/123`, filename: 'mine' });
    const blob = await renamed.start();
    expect(renamed.getState().filename).toBe('mine.csv');
    expect(await blob.text()).toBe('a,b\n');
  });

  it('reports a refused connection as a network error', async () => {
    const base = await serve(() => {});
    const port = (server!.address() as AddressInfo).port;
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const dl = createDownloader({ url: `http://127.0.0.1:${port}/gone` });
    await expect(dl.start()).rejects.toThrow();
    expect(dl.getState()).toMatchObject({
      status: 'error',
      error: { code: 'network-error' },
      canResume: false,
    });
    expect(base).toContain('127.0.0.1');
  });

  it('returns the running promise when started twice, and can download again after success', async () => {
    let count = 0;
    const base = await serve((_req, res) => {
      count++;
      res.writeHead(200, { 'Content-Length': 3 });
      res.end('abc');
    });
    const dl = createDownloader({ url: `${base}/a` });
    const first = dl.start();
    expect(dl.start()).toBe(first);
    await first;
    await dl.start();
    expect(count).toBe(2);
    expect(dl.getState().status).toBe('success');
  });
});

describe('createDownloader with data made on the spot', () => {
  it('converts the data and goes through the same states, without saving in Node', async () => {
    const downloader = createDownloader({ data: { rows: [1, 2, 3] }, filename: 'report' });
    const seen: DownloaderState['status'][] = [];
    downloader.subscribe((state) => seen.push(state.status));
    const blob = await downloader.start();
    expect(JSON.parse(await blob.text())).toEqual({ rows: [1, 2, 3] });
    const state = downloader.getState();
    expect(state).toMatchObject({ status: 'success', filename: 'report.json', blob });
    expect(state.progress).toMatchObject({ loaded: blob.size, total: blob.size, percent: 100 });
    expect(seen[0]).toBe('downloading');
    expect(seen.at(-1)).toBe('success');
  });

  it('saves through the window it is given, under the name with an extension', async () => {
    const clicked: string[] = [];
    const win = {
      document: {
        createElement: () => ({
          style: {},
          set download(name: string) {
            clicked.push(name);
          },
          click() {},
          remove() {},
        }),
        body: { appendChild() {} },
      },
      URL: { createObjectURL: () => 'blob:fake', revokeObjectURL() {} },
      setTimeout: () => 0,
    };
    const downloader = createDownloader({
      data: 'plain words',
      filename: 'notes',
      win: win as unknown as SaveWindow,
    });
    await downloader.start();
    expect(clicked).toEqual(['notes.txt']);
  });

  it('reports data that cannot become a file as an error', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const downloader = createDownloader({ data: cyclic, filename: 'loop.json' });
    await expect(downloader.start()).rejects.toThrow(/circular/i);
    expect(downloader.getState().status).toBe('error');
  });
});
