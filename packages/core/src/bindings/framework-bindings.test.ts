import { describe, expect, it, vi } from 'vitest';
import type { Dropzone } from '../select/dropzone-types';
import type { Uploader } from '../upload/uploader-types';
import { prepareDownload, splitBindingOptions, uploadCommands } from './framework-bindings';

describe('splitBindingOptions', () => {
  it('hands the drop zone its keys and the uploader everything else, given or not', () => {
    const transport = async () => ({});
    const [uploader, dropzone] = splitBindingOptions({
      transport,
      concurrency: 2,
      rules: { maxFiles: 3 },
      noClick: true,
      noDrag: false,
      directory: true,
      disabled: undefined,
    });
    expect(uploader).toEqual({ transport, concurrency: 2, rules: { maxFiles: 3 } });
    expect(dropzone).toEqual({
      noClick: true,
      noDrag: false,
      directory: true,
      disabled: undefined,
    });
    expect(splitBindingOptions({})).toEqual([{}, {}]);
  });

  it('leaves the options it was given alone', () => {
    const options = { noPaste: true, autoUpload: false };
    splitBindingOptions(options);
    expect(options).toEqual({ noPaste: true, autoUpload: false });
  });
});

describe('uploadCommands', () => {
  it('calls the uploader and the drop zone with the arguments given', async () => {
    const calls: unknown[][] = [];
    const record =
      (name: string, answer?: unknown) =>
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return answer;
      };
    const uploader = {
      add: record('add', Promise.resolve({ accepted: [], rejected: [] })),
      upload: record('upload', Promise.resolve([])),
      cancel: record('cancel'),
      retry: record('retry'),
      remove: record('remove'),
      clear: record('clear'),
      pause: record('pause'),
      resume: record('resume'),
    } as unknown as Uploader;
    const dropzone = { open: record('open') } as unknown as Dropzone;
    const commands = uploadCommands(uploader, dropzone);
    const file = new File(['x'], 'x.txt');

    commands.open();
    await commands.add([file]);
    await commands.upload(['a']);
    commands.cancel();
    commands.retry('b');
    commands.remove('c');
    commands.clear();
    commands.pause('d');
    commands.resume('e');

    expect(calls).toEqual([
      ['open'],
      ['add', [file]],
      ['upload', ['a']],
      ['cancel', undefined],
      ['retry', 'b'],
      ['remove', 'c'],
      ['clear'],
      ['pause', 'd'],
      ['resume', 'e'],
    ]);
    expect(commands.uploader).toBe(uploader);
  });
});

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
