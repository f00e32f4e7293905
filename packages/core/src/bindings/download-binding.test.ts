import { describe, expect, it, vi } from 'vitest';
import { prepareDownload } from './download-binding';

describe('prepareDownload', () => {
  const okFetch = () =>
    vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response('hello'));

  it("puts a URL download's options over the hook's and does not save when save is false", async () => {
    const fetch = okFetch();
    const { downloader, start } = prepareDownload(
      { url: '/b', headers: { b: '2' } },
      { save: false, url: '/a', headers: { a: '1' }, fetch },
    );
    expect(downloader.getState().status).toBe('idle');
    const blob = await start();
    expect(await blob?.text()).toBe('hello');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0]).toBe('/b');
    expect(new Headers(fetch.mock.calls[0]?.[1]?.headers).get('b')).toBe('2');
    expect(new Headers(fetch.mock.calls[0]?.[1]?.headers).get('a')).toBeNull();
  });

  it("takes data as given, without the hook's URL options", async () => {
    const fetch = okFetch();
    const { start } = prepareDownload({ data: 'made here' }, { save: false, fetch });
    expect(await (await start())?.text()).toBe('made here');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('resolves undefined instead of rejecting, the error in the state', async () => {
    const fetch = vi.fn(async () => new Response('gone', { status: 404 }));
    const { downloader, start } = prepareDownload({ url: '/x' }, { save: false, fetch });
    await expect(start()).resolves.toBeUndefined();
    expect(downloader.getState().status).toBe('error');
    expect(downloader.getState().error?.code).toBe('http-404');
  });
});
