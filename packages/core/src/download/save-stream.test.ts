import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDownloader } from './downloader';
import type { SaveWindow } from './save-blob';
import { canStreamToDisk, openSaveStream } from './save-stream';

/** A picker and a file that record what was done to them, like Chromium's would. */
function fakeDisk(options: { refuse?: string } = {}) {
  const log: string[] = [];
  let content: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  let committed: Uint8Array<ArrayBuffer> | undefined;
  const win = {
    async showSaveFilePicker(pickerOptions?: unknown) {
      log.push(`pick ${JSON.stringify(pickerOptions)}`);
      if (options.refuse) throw new DOMException('refused', options.refuse);
      return {
        async createWritable() {
          let position = 0;
          return {
            async write(data: Uint8Array) {
              const next = new Uint8Array(Math.max(content.length, position + data.length));
              next.set(content);
              next.set(data, position);
              content = next;
              position += data.length;
            },
            async truncate(size: number) {
              log.push(`truncate ${size}`);
              content = content.slice(0, size);
              position = Math.min(position, size);
            },
            async close() {
              log.push('close');
              committed = content;
            },
            async abort() {
              log.push('abort');
            },
          };
        },
        async getFile() {
          return new File([committed ?? new Uint8Array(0)], 'picked');
        },
      };
    },
    document: {} as SaveWindow['document'],
    URL: {
      createObjectURL: () => {
        log.push('createObjectURL');
        return 'blob:x';
      },
      revokeObjectURL: () => {},
    },
    setTimeout: () => 0,
  };
  return { win, log, committed: () => committed };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const BODY = Buffer.alloc(300_000).map((_, i) => i % 253);

describe('openSaveStream', () => {
  it('is not available without showSaveFilePicker', async () => {
    expect(canStreamToDisk({})).toBe(false);
    expect(canStreamToDisk(undefined)).toBe(false);
    expect(await openSaveStream('a.txt', { win: {} })).toBeUndefined();
  });

  it('suggests the name and the type to the picker', async () => {
    const disk = fakeDisk();
    const sink = await openSaveStream('report.csv', {
      mimeType: 'text/csv; charset=utf-8',
      win: disk.win,
    });
    expect(sink?.savesItself).toBe(true);
    expect(disk.log[0]).toBe(
      `pick ${JSON.stringify({ suggestedName: 'report.csv', types: [{ accept: { 'text/csv': ['.csv'] } }] })}`,
    );
  });

  it('lets a dismissed picker reject with AbortError, and falls back when the picker is refused', async () => {
    await expect(
      openSaveStream('a', { win: fakeDisk({ refuse: 'AbortError' }).win }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(
      await openSaveStream('a', { win: fakeDisk({ refuse: 'SecurityError' }).win }),
    ).toBeUndefined();
  });
});

describe('createDownloader with streamToDisk', () => {
  async function serve(
    cutFirst: boolean,
  ): Promise<{ url: string; ranges: (string | undefined)[] }> {
    const ranges: (string | undefined)[] = [];
    server = createServer((req, res) => {
      ranges.push(req.headers.range);
      const headers = {
        'Accept-Ranges': 'bytes',
        ETag: '"e"',
        'Content-Type': 'application/octet-stream',
      };
      const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
      if (start > 0) {
        res.writeHead(206, {
          ...headers,
          'Content-Range': `bytes ${start}-${BODY.length - 1}/${BODY.length}`,
        });
        res.end(BODY.subarray(start));
      } else if (cutFirst && ranges.length === 1) {
        res.writeHead(200, { ...headers, 'Content-Length': BODY.length });
        res.write(BODY.subarray(0, 100_000), () => setTimeout(() => res.destroy(), 20));
      } else {
        res.writeHead(200, { ...headers, 'Content-Length': BODY.length });
        res.end(BODY);
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.bin`, ranges };
  }

  it('asks for the file first, writes every chunk to it, and makes no object URL', async () => {
    const { url } = await serve(false);
    const disk = fakeDisk();
    const dl = createDownloader({
      url,
      streamToDisk: true,
      win: disk.win,
      mimeType: 'application/octet-stream',
    });
    const blob = await dl.start();
    expect(disk.log[0]).toMatch(/^pick .*"suggestedName":"big.bin"/);
    expect(disk.log).toContain('close');
    expect(disk.log).not.toContain('createObjectURL');
    expect(Buffer.from(disk.committed()!).equals(BODY)).toBe(true);
    expect(Buffer.from(await blob.arrayBuffer()).equals(BODY)).toBe(true);
  });

  it('resumes into the same file after a cut', async () => {
    const { url, ranges } = await serve(true);
    const disk = fakeDisk();
    const dl = createDownloader({ url, streamToDisk: true, win: disk.win });
    await expect(dl.start()).rejects.toThrow();
    expect(dl.getState().canResume).toBe(true);
    await dl.start();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(disk.log.filter((entry) => entry.startsWith('pick'))).toHaveLength(1);
    expect(Buffer.from(disk.committed()!).equals(BODY)).toBe(true);
  });

  it('becomes cancelled, not error, when the user dismisses the picker', async () => {
    const { url, ranges } = await serve(false);
    const dl = createDownloader({
      url,
      streamToDisk: true,
      win: fakeDisk({ refuse: 'AbortError' }).win,
    });
    await expect(dl.start()).rejects.toMatchObject({ name: 'AbortError' });
    expect(dl.getState().status).toBe('cancelled');
    expect(ranges).toHaveLength(0);
  });

  it('aborts the file on cancel so nothing is left behind', async () => {
    const { url } = await serve(true);
    const disk = fakeDisk();
    const dl = createDownloader({ url, streamToDisk: true, win: disk.win });
    await expect(dl.start()).rejects.toThrow();
    dl.cancel();
    expect(dl.getState().status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(disk.log).toContain('abort');
    expect(disk.log).not.toContain('close');
  });
});
