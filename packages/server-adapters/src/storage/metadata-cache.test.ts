import { rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskStorage } from './disk-storage';
import { createFileId } from './file-id';
import { cachedJsonReader } from './metadata-cache';
import { commitMeta as meta, writeAll } from './test-support/storage-io';
import { tempDirs } from './test-support/temp-dirs';

const tempDir = tempDirs('updown-metadata-cache-');

describe('cachedJsonReader', () => {
  it('parses anew on every read: callers never share an object', async () => {
    const path = join(await tempDir(), 'a.json');
    await writeFile(path, JSON.stringify({ n: 1, nested: { k: 'v' } }));
    const reader = cachedJsonReader();
    const first = await reader.read<{ n: number; nested: { k: string } }>(path);
    const second = await reader.read<{ n: number; nested: { k: string } }>(path);
    expect(second).toEqual({ n: 1, nested: { k: 'v' } });
    expect(second).not.toBe(first);
    expect(second?.nested).not.toBe(first?.nested);
  });

  it('sees a file replaced by a rename, or rewritten in place, on the next read', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.json');
    await writeFile(path, JSON.stringify({ n: 1 }));
    const reader = cachedJsonReader();
    expect(await reader.read(path)).toEqual({ n: 1 });
    await writeFile(join(dir, 'b.json'), JSON.stringify({ n: 2 }));
    await rename(join(dir, 'b.json'), path);
    expect(await reader.read(path)).toEqual({ n: 2 });
    // Same length, same inode; its times set back to the old ones: the ctime still moves.
    await writeFile(path, JSON.stringify({ n: 3 }));
    const then = new Date(Date.now() - 60_000);
    await utimes(path, then, then);
    expect(await reader.read(path)).toEqual({ n: 3 });
  });

  it('resolves null once the file is gone, and reads it again when it is back', async () => {
    const path = join(await tempDir(), 'a.json');
    await writeFile(path, JSON.stringify({ n: 1 }));
    const reader = cachedJsonReader();
    expect(await reader.read(path)).toEqual({ n: 1 });
    await rm(path);
    expect(await reader.read(path)).toBeNull();
    await writeFile(path, JSON.stringify({ n: 2 }));
    expect(await reader.read(path)).toEqual({ n: 2 });
  });

  it('keeps at most `capacity` files and still answers for the ones it forgot', async () => {
    const dir = await tempDir();
    const reader = cachedJsonReader(2);
    const paths = [0, 1, 2].map((i) => join(dir, `${i}.json`));
    await Promise.all(paths.map((p, i) => writeFile(p, JSON.stringify({ i }))));
    for (const p of paths) await reader.read(p);
    expect(await Promise.all(paths.map((p) => reader.read(p)))).toEqual([
      { i: 0 },
      { i: 1 },
      { i: 2 },
    ]);
  });
});

describe('diskStorage metadata reads', () => {
  it('a file deleted behind its back (another process) is not found by stat', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.from('hello')]);
    await sink.commit(meta(Buffer.from('hello')));
    expect((await storage.stat(sink.id))?.size).toBe(5);
    await rm(join(dir, `${sink.id}.json`));
    await rm(join(dir, sink.id));
    expect(await storage.stat(sink.id)).toBeNull();
    await expect(storage.createReadStream(sink.id)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
