import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { memoryStorage } from '../storage/memory-storage';
import { tempDirs } from '../storage/test-support/temp-dirs';
import { expectSettledTo, snapshot } from '../test-support/storage-snapshot';
import { createFetchHandler, updown } from './fetch';

// The fetch entry called in process with real Requests, for what the shared contract tables
// (which reach it over node:http) cannot show: the prefix, request.signal, and memory.

const MiB = 1024 * 1024;
const ORIGIN = 'http://app.test';
const newDir = tempDirs('updown-fetch-');

function form(name: string, data: string): FormData {
  const body = new FormData();
  body.append('file', new Blob([data], { type: 'text/plain' }), name);
  return body;
}

/** A body of `size` bytes in 1 MiB chunks made as they are pulled, never held whole. */
function generated(size: number, hash = createHash('sha256')): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = new Uint8Array(Math.min(MiB, size - sent)).fill(sent / MiB);
        hash.update(chunk);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The highest RSS seen while `run` runs, over the RSS before it. */
async function rssGrowth(run: () => Promise<void>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

describe('updown from @updown/server-adapters/fetch', () => {
  it('answers 404 in the contract JSON outside its prefix, and on no route of it', async () => {
    const handle = updown({ prefix: '/api/files/', storage: memoryStorage() });
    for (const url of ['/elsewhere', '/api/filesx/upload', '/api/files/a/b', '/']) {
      const res = await handle(new Request(ORIGIN + url));
      expect(res.status, url).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'Not found' } });
    }
    const upload = await handle(
      new Request(`${ORIGIN}/api/files/upload`, { method: 'POST', body: form('a.txt', 'hi') }),
    );
    expect(upload.status).toBe(201);
  });

  it('serves the root by default, with URLs from there', async () => {
    const handle = updown({ storage: memoryStorage() });
    const res = await handle(
      new Request(`${ORIGIN}/upload`, { method: 'POST', body: form('a.txt', 'hi') }),
    );
    const { files } = (await res.json()) as { files: { url: string }[] };
    expect(files[0]?.url).toMatch(/^\/[\w-]+$/);
    const back = await handle(new Request(ORIGIN + (files[0]?.url ?? '')));
    expect(await back.text()).toBe('hi');
  });

  it('leaves a request that is none of its own to the caller (createFetchHandler)', async () => {
    const handler = createFetchHandler<string>({ storage: memoryStorage() });
    const mount = { basePath: '/files', framework: 'the framework' };
    expect(await handler.handle(new Request(`${ORIGIN}/other`), mount)).toBeNull();
    expect(await handler.handle(new Request(`${ORIGIN}/files/a/b`), mount)).toBeNull();
    const res = await handler.handle(
      new Request(`${ORIGIN}/files/tus`, { method: 'OPTIONS' }),
      mount,
    );
    expect(res?.status).toBe(204);
  });

  it('stores nothing of an upload whose request.signal aborts mid-body', async () => {
    const directory = await newDir();
    const handle = updown({ prefix: '/api/files', storage: diskStorage({ directory }) });
    // Made on first use; made here so that only what the upload leaves shows.
    await mkdir(join(directory, PARTIAL_DIR));
    const before = await snapshot(directory);
    const abort = new AbortController();
    const boundary = 'x-abort-boundary';
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) {
          controller.enqueue(
            new TextEncoder().encode(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n` +
                'Content-Type: application/octet-stream\r\n\r\n',
            ),
          );
        }
        controller.enqueue(new Uint8Array(256 * 1024).fill(7));
        sent += 256 * 1024;
        // The client goes away a megabyte in: the bytes so far are already in storage.
        if (sent === MiB) abort.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const res = await handle(
      new Request(`${ORIGIN}/api/files/upload`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
        signal: abort.signal,
      } as RequestInit),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await expectSettledTo(directory, before)).toEqual(before);
  });

  it('streams a 256 MiB upload in and out with memory flat', async () => {
    const directory = await newDir();
    const handle = updown({
      prefix: '/api/files',
      storage: diskStorage({ directory, fsync: false }),
      limits: { fileSize: 512 * MiB },
    });
    const size = 256 * MiB;
    const boundary = 'x-large-boundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const sent = createHash('sha256');
    const content = generated(size, sent);
    const reader = content.getReader();
    let stage = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (stage === 0) {
            stage = 1;
            return controller.enqueue(head);
          }
          const next = await reader.read();
          if (!next.done) return controller.enqueue(next.value);
          controller.enqueue(tail);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    let url = '';
    let sentHex = '';
    const upGrowth = await rssGrowth(async () => {
      const res = await handle(
        new Request(`${ORIGIN}/api/files/upload`, {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
          duplex: 'half',
        } as RequestInit),
      );
      expect(res.status).toBe(201);
      const { files } = (await res.json()) as { files: { url: string; sha256: string }[] };
      sentHex = sent.digest('hex');
      expect(files[0]?.sha256).toBe(sentHex);
      url = files[0]?.url ?? '';
    });
    if (process.env.UPDOWN_PRINT_RSS) console.log('upload RSS growth MiB', upGrowth / MiB);
    expect(upGrowth).toBeLessThan(96 * MiB);

    const received = createHash('sha256');
    let length = 0;
    const downGrowth = await rssGrowth(async () => {
      const res = await handle(new Request(ORIGIN + url));
      expect(res.headers.get('content-length')).toBe(String(size));
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        received.update(chunk);
        length += chunk.length;
      }
    });
    expect(length).toBe(size);
    expect(received.digest('hex')).toBe(sentHex);
    if (process.env.UPDOWN_PRINT_RSS) console.log('download RSS growth MiB', downGrowth / MiB);
    expect(downGrowth).toBeLessThan(96 * MiB);
  }, 120_000);
});
