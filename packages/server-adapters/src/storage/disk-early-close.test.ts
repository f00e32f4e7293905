import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskStorage, PARTIAL_DIR } from './disk-storage';
import { createFileId } from './file-id';
import { tempDirs } from './test-support/temp-dirs';

// `end`: a file is closed and its metadata written aside as its part ends, long before the
// request's commit. Still nothing is visible, and an abort after it leaves nothing.

const tempDir = tempDirs('updown-early-');
const meta = { name: 'a.bin', type: 'application/octet-stream', sha256: 'x' };

describe('diskStorage end', () => {
  it('closes the bytes and writes the metadata aside, visible to no one until the commit', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir });
    const sink = await storage.begin(createFileId());
    sink.write(Buffer.from('early'));
    await sink.end?.(meta);
    expect((await readdir(join(dir, PARTIAL_DIR))).sort()).toEqual(
      [sink.id, `${sink.id}.json`].sort(),
    );
    expect(await storage.stat(sink.id)).toBeNull();
    await expect(storage.createReadStream(sink.id)).rejects.toThrow();
    const stored = await sink.commit(meta);
    expect(stored).toMatchObject({ id: sink.id, size: 5, name: 'a.bin' });
    expect(await storage.stat(sink.id)).toEqual(stored);
    expect(await readdir(join(dir, PARTIAL_DIR))).toEqual([]);
  });

  it('an abort after end leaves nothing, for each of many files', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const sinks = await Promise.all(
      Array.from({ length: 50 }, () => storage.begin(createFileId())),
    );
    for (const sink of sinks) sink.write(Buffer.alloc(100, 1));
    // Half ended and waited for, half still ending when the abort comes.
    await Promise.all(sinks.slice(0, 25).map((s) => s.end?.(meta)));
    for (const sink of sinks.slice(25)) void sink.end?.(meta);
    await Promise.all(sinks.map((s) => s.abort()));
    expect(await readdir(dir)).toEqual([PARTIAL_DIR]);
    expect(await readdir(join(dir, PARTIAL_DIR))).toEqual([]);
  });

  it('a commit with other metadata than end was told writes that one', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const sink = await storage.begin(createFileId());
    sink.write(Buffer.from('abc'));
    await sink.end?.(meta);
    const later = { ...meta, fields: { late: 'field' } };
    const stored = await sink.commit(later);
    expect(stored.fields).toEqual({ late: 'field' });
    const onDisk = JSON.parse(await readFile(join(dir, `${sink.id}.json`), 'utf8'));
    expect(onDisk).toEqual(stored);
  });
});
