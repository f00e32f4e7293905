import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { directorySync } from './directory-sync';

const opened: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: (...args: Parameters<typeof fs.open>) => {
      opened.push(String(args[0]));
      return fs.open(...args);
    },
  };
});

describe('directorySync', () => {
  let dir = '';
  afterEach(async () => {
    opened.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves callers at the same moment with the fsync in flight and one after it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'updown-dirsync-'));
    const sync = directorySync(dir);
    const first = sync();
    // These came while the first fsync ran, maybe after it began: they share the next one.
    const later = Array.from({ length: 50 }, () => sync());
    await Promise.all([first, ...later]);
    expect(opened).toEqual([dir, dir]);
    // Once they are done, a new caller gets an fsync of its own.
    await sync();
    expect(opened).toEqual([dir, dir, dir]);
  });

  it('resolves even where the folder cannot be opened', async () => {
    dir = '';
    await expect(directorySync(join(tmpdir(), 'updown-no-such-folder'))()).resolves.toBeUndefined();
  });
});
