import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FileSystemEntryLike } from './directory-walker';
import {
  type FileInputLike,
  filesFromEvent,
  filesFromInput,
  filesFromTransfer,
  type TransferItemLike,
  type TransferLike,
} from './files-from-event';
import { fakeDirectoryEntry, fakeFileEntry, manyFiles } from './test-support/fake-entries';

function fileItem(file: File, entry?: FileSystemEntryLike): TransferItemLike {
  return {
    kind: 'file',
    type: file.type,
    getAsFile: () => file,
    webkitGetAsEntry: () => entry ?? { isFile: true, isDirectory: false, name: file.name },
  };
}

function folderItem(entry: FileSystemEntryLike): TransferItemLike {
  return {
    kind: 'file',
    type: '',
    // What browsers hand out for a folder: a useless zero-byte "file".
    getAsFile: () => new File([], entry.name),
    webkitGetAsEntry: () => entry,
  };
}

/** Like a real DataTransfer: empty once the event handler has returned. */
function expiringTransfer(items: TransferItemLike[]): { data: TransferLike; expire(): void } {
  let live = true;
  return {
    data: {
      types: ['Files'],
      get items() {
        return live ? items : [];
      },
      get files() {
        return live ? items.map((i) => i.getAsFile?.()).filter((f): f is File => !!f) : [];
      },
    },
    expire() {
      live = false;
    },
  };
}

describe('filesFromTransfer', () => {
  it('takes loose files and walks dropped folders, in drop order', async () => {
    const a = new File(['aaa'], 'a.txt', { type: 'text/plain' });
    const b = new File(['bb'], 'b.png', { type: 'image/png' });
    const folder = fakeDirectoryEntry('folder', [
      fakeFileEntry('x.txt'),
      fakeDirectoryEntry('sub', [fakeFileEntry('y.txt')]),
    ]);
    const text: TransferItemLike = { kind: 'string', type: 'text/plain' };
    const picked = await filesFromTransfer({
      items: [fileItem(a), text, folderItem(folder), fileItem(b)],
    });
    expect(picked.files.map((f) => f.name)).toEqual(['a.txt', 'x.txt', 'y.txt', 'b.png']);
    expect(picked.relativePaths).toEqual([
      undefined,
      'folder/x.txt',
      'folder/sub/y.txt',
      undefined,
    ]);
    expect(picked.files[0]).toBe(a);
  });

  it('finds every file of a 250-file folder', async () => {
    const picked = await filesFromTransfer({
      items: [folderItem(fakeDirectoryEntry('big', manyFiles(250)))],
    });
    expect(picked.files).toHaveLength(250);
    expect(picked.relativePaths[200]).toBe('big/f200.txt');
  });

  it('reads the items before the event is over', async () => {
    const a = new File(['a'], 'a.txt');
    const folder = fakeDirectoryEntry('d', [fakeFileEntry('in.txt')]);
    const drop = expiringTransfer([fileItem(a), folderItem(folder)]);
    const pending = filesFromTransfer(drop.data);
    drop.expire();
    const picked = await pending;
    expect(picked.files.map((f) => f.name)).toEqual(['a.txt', 'in.txt']);
  });

  it('falls back to `files` when there are no items', async () => {
    const a = new File(['a'], 'a.txt');
    const picked = await filesFromTransfer({ files: [a] });
    expect(picked.files).toEqual([a]);
    expect(picked.relativePaths).toEqual([undefined]);
  });

  it('gives nothing for a text drop or no data', async () => {
    expect(
      (await filesFromTransfer({ items: [{ kind: 'string', type: 'text/plain' }], files: [] }))
        .files,
    ).toEqual([]);
    expect((await filesFromTransfer(null)).files).toEqual([]);
  });
});

describe('filesFromInput', () => {
  it('keeps webkitRelativePath of a chosen folder and none for loose files', () => {
    const inFolder = new File(['1'], 'a.txt');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'folder/sub/a.txt' });
    const loose = new File(['2'], 'b.txt');
    Object.defineProperty(loose, 'webkitRelativePath', { value: '' });
    const picked = filesFromInput({ files: [inFolder, loose] });
    expect(picked.files).toEqual([inFolder, loose]);
    expect(picked.relativePaths).toEqual(['folder/sub/a.txt', undefined]);
  });

  it('gives nothing when the dialog was cancelled', () => {
    expect(filesFromInput({ files: null }).files).toEqual([]);
  });
});

describe('filesFromEvent', () => {
  it('reads a paste from clipboardData', async () => {
    const shot = new File(['png'], 'image.png', { type: 'image/png' });
    const picked = await filesFromEvent({
      clipboardData: { items: [{ kind: 'string', type: 'text/html' }, fileItem(shot)] },
    });
    expect(picked.files).toEqual([shot]);
  });

  it('reads a drop from dataTransfer and a change from the target input', async () => {
    const a = new File(['a'], 'a.txt');
    expect((await filesFromEvent({ dataTransfer: { items: [fileItem(a)] } })).files).toEqual([a]);
    expect((await filesFromEvent({ target: { files: [a] } })).files).toEqual([a]);
  });

  it('takes the native DOM types', () => {
    expectTypeOf<DataTransfer>().toExtend<TransferLike>();
    expectTypeOf<HTMLInputElement>().toExtend<FileInputLike>();
  });
});
