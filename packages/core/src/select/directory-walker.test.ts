import { describe, expect, it } from 'vitest';
import { readAllEntries, walkEntry } from './directory-walker';
import {
  brokenFileEntry,
  fakeDirectoryEntry,
  fakeFileEntry,
  manyFiles,
} from './test-support/fake-entries';

describe('readAllEntries', () => {
  it('keeps calling readEntries past the 100-entry batches until one is empty', async () => {
    const dir = fakeDirectoryEntry('big', manyFiles(250));
    const entries = await readAllEntries(dir);
    expect(entries).toHaveLength(250);
    expect(new Set(entries.map((e) => e.name)).size).toBe(250);
    // 100 + 100 + 50 + the empty batch that says "done".
    expect(dir.reads).toBe(4);
  });

  it('keeps what was read when a later call fails', async () => {
    let calls = 0;
    const dir = {
      isFile: false,
      isDirectory: true,
      name: 'flaky',
      createReader: () => ({
        readEntries(
          success: (e: ReturnType<typeof fakeFileEntry>[]) => void,
          error?: (e: unknown) => void,
        ) {
          calls += 1;
          if (calls === 1) success([fakeFileEntry('a.txt')]);
          else error?.(new Error('boom'));
        },
      }),
    };
    expect((await readAllEntries(dir)).map((e) => e.name)).toEqual(['a.txt']);
  });
});

describe('walkEntry', () => {
  it('finds all 250 files of a folder read in batches of 100, with relative paths', async () => {
    const dir = fakeDirectoryEntry('folder', manyFiles(250));
    const walked = await walkEntry(dir);
    expect(walked).toHaveLength(250);
    expect(walked.map((w) => w.relativePath)).toEqual(
      Array.from({ length: 250 }, (_, i) => `folder/f${i}.txt`),
    );
    expect(walked[249]?.file.name).toBe('f249.txt');
    expect(await walked[249]?.file.text()).toBe('#249');
  });

  it('walks nested folders depth first in listing order', async () => {
    const tree = fakeDirectoryEntry('folder', [
      fakeFileEntry('a.txt'),
      fakeDirectoryEntry('sub', [
        fakeFileEntry('b.txt'),
        fakeDirectoryEntry('deeper', [fakeFileEntry('c.txt')]),
        fakeDirectoryEntry('empty', []),
      ]),
      fakeDirectoryEntry('wide', manyFiles(120, 'w'), 100),
      fakeFileEntry('z.txt'),
    ]);
    const paths = (await walkEntry(tree)).map((w) => w.relativePath);
    expect(paths).toEqual([
      'folder/a.txt',
      'folder/sub/b.txt',
      'folder/sub/deeper/c.txt',
      ...Array.from({ length: 120 }, (_, i) => `folder/wide/w${i}.txt`),
      'folder/z.txt',
    ]);
  });

  it('honours a smaller batch size too', async () => {
    const walked = await walkEntry(fakeDirectoryEntry('d', manyFiles(7), 2));
    expect(walked).toHaveLength(7);
  });

  it('skips a file the browser cannot read and keeps the others', async () => {
    const tree = fakeDirectoryEntry('folder', [
      fakeFileEntry('a.txt'),
      brokenFileEntry('gone.txt'),
      fakeFileEntry('b.txt'),
    ]);
    expect((await walkEntry(tree)).map((w) => w.relativePath)).toEqual([
      'folder/a.txt',
      'folder/b.txt',
    ]);
  });

  it('gives a lone file entry its name as path', async () => {
    expect((await walkEntry(fakeFileEntry('x.txt'))).map((w) => w.relativePath)).toEqual(['x.txt']);
  });
});
