// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { download } from './download';
import type { SaveWindow } from './save-blob';

interface Saved {
  href: string;
  download: string;
  blob?: Blob;
}

/** The page's window with object URLs and anchor clicks recorded instead of performed. */
function recordingWindow(origin = 'https://app.example') {
  const saved: Saved[] = [];
  const blobs = new Map<string, Blob>();
  const revoked: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const href = this.getAttribute('href') ?? '';
    saved.push({
      href,
      download: this.download,
      ...(blobs.has(href) ? { blob: blobs.get(href) } : {}),
    });
  });
  const win: SaveWindow = {
    document,
    location: { href: `${origin}/page`, origin },
    URL: {
      createObjectURL(blob: Blob) {
        const url = `blob:${origin}/${blobs.size}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: (url: string) => revoked.push(url),
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
  };
  return { win, saved, revoked };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('download({ data })', () => {
  it.each([
    {
      data: { a: 1 },
      filename: 'value',
      name: 'value.json',
      type: 'application/json',
      text: '{"a":1}',
    },
    {
      data: 'plain',
      filename: undefined,
      name: 'download.txt',
      type: 'text/plain;charset=utf-8',
      text: 'plain',
    },
    {
      data: 'a,b',
      filename: 'table',
      mimeType: 'text/csv',
      name: 'table.csv',
      type: 'text/csv',
      text: 'a,b',
    },
    {
      data: 'data:text/html,%3Cb%3Eok',
      filename: 'page',
      name: 'page.html',
      type: 'text/html',
      text: '<b>ok',
    },
    {
      data: new Uint8Array([104, 105]),
      filename: 'bytes.dat',
      name: 'bytes.dat',
      type: 'application/octet-stream',
      text: 'hi',
    },
  ])('saves $name', async ({ data, filename, mimeType, name, type, text }) => {
    const { win, saved } = recordingWindow();
    await download({ data, filename, mimeType, win, revokeDelayMs: 5 });
    expect(saved).toHaveLength(1);
    expect(saved[0]?.download).toBe(name);
    expect(saved[0]?.blob?.type).toBe(type);
    expect(await saved[0]?.blob?.text()).toBe(text);
  });

  it('revokes the object URL after the delay', async () => {
    const { win, saved, revoked } = recordingWindow();
    await download({ data: 'x', win, revokeDelayMs: 5 });
    expect(revoked).toEqual([]);
    await vi.waitFor(() => expect(revoked).toEqual([saved[0]?.href]));
  });
});

describe('download({ url })', () => {
  it('hands a same-origin URL to an <a download> without fetching', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>();
    await download({ url: '/api/files/abc', filename: 'report.pdf', win, fetch });
    expect(fetch).not.toHaveBeenCalled();
    expect(saved).toEqual([{ href: '/api/files/abc', download: 'report.pdf' }]);
  });

  it('fetches a cross-origin URL with the credentials asked, then saves the Blob', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () => new Response('remote bytes', { headers: { 'Content-Type': 'text/plain' } }),
    );
    await download({ url: 'https://cdn.example/files/notes', win, fetch, credentials: 'include' });
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]?.[0]).toBe('https://cdn.example/files/notes');
    expect(fetch.mock.calls[0]?.[1]?.credentials).toBe('include');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.download).toBe('notes.txt');
    expect(await saved[0]?.blob?.text()).toBe('remote bytes');
  });

  it('fetches even same-origin when progress is wanted', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () => new Response('12345', { headers: { 'Content-Length': '5' } }),
    );
    const progress: (number | null)[] = [];
    await download({ url: '/a.bin', win, fetch, onProgress: (p) => progress.push(p.percent) });
    expect(fetch).toHaveBeenCalledOnce();
    expect(progress.at(-1)).toBe(100);
    expect(saved[0]?.download).toBe('a.bin');
  });

  it('rejects with the HTTP error and saves nothing', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () =>
        new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in' } }), {
          status: 401,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    await expect(download({ url: 'https://cdn.example/x', win, fetch })).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(saved).toEqual([]);
  });

  it('cancels a fetched download through its signal, and saves nothing', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const controller = new AbortController();
    const result = download({ url: '/same-origin.bin', win, fetch, signal: controller.signal });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledOnce());
    controller.abort();
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    expect(saved).toEqual([]);
  });

  it('follows via: link and via: fetch when asked', async () => {
    const { win, saved } = recordingWindow();
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('x'));
    await download({ url: 'https://cdn.example/a.txt', via: 'link', win, fetch });
    await download({ url: '/b.txt', via: 'fetch', filename: 'renamed.txt', win, fetch });
    expect(fetch).toHaveBeenCalledOnce();
    expect(saved.map((s) => s.download)).toEqual(['', 'renamed.txt']);
  });
});
