import { describe, expect, it } from 'vitest';
import type { Dropzone } from '../select/dropzone-types';
import { extensionForMime } from '../shared/mime-extension';
import type { Uploader } from '../upload/uploader-types';
import { splitBindingOptions, uploadCommands } from './upload-binding';

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
      extensionForMime,
    });
    expect(uploader).toEqual({ transport, concurrency: 2, rules: { maxFiles: 3 } });
    expect(dropzone).toEqual({
      noClick: true,
      noDrag: false,
      directory: true,
      disabled: undefined,
      extensionForMime,
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
