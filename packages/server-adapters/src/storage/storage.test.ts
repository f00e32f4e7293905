import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskResumable } from './disk-resumable';
import { diskStorage } from './disk-storage';
import { createFileId } from './file-id';
import { memoryStorage } from './memory-storage';
import { storageContract } from './test-support/storage-contract';
import { commitMeta as meta, writeAll } from './test-support/storage-io';
import { tempDirs } from './test-support/temp-dirs';

const tempDir = tempDirs('updown-storage-');

storageContract('diskStorage', async () => diskStorage({ directory: await tempDir() }));
// A tiny write buffer crosses buffer boundaries on every test.
storageContract('diskStorage (small buffer)', async () =>
  diskStorage({ directory: await tempDir(), writeBufferSize: 1000 }),
);
storageContract('diskStorage (no fsync)', async () =>
  diskStorage({ directory: await tempDir(), fsync: false }),
);
storageContract('memoryStorage', async () => memoryStorage());

describe('diskStorage layout', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses writeBufferSize %s when it is made, diskResumable too',
    async (writeBufferSize) => {
      const directory = await tempDir();
      expect(() => diskStorage({ directory, writeBufferSize })).toThrow(
        /^writeBufferSize must be a whole number of bytes from 1 to \d+, not /,
      );
      expect(() => diskResumable({ directory, writeBufferSize })).toThrow(RangeError);
    },
  );

  it('stores every byte with a 1-byte write buffer', async () => {
    const storage = diskStorage({ directory: await tempDir(), writeBufferSize: 1, fsync: false });
    const bytes = Buffer.from('one byte at a time');
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [bytes.subarray(0, 5), bytes.subarray(5)]);
    const stored = await sink.commit(meta(bytes));
    expect(stored.size).toBe(bytes.length);
  });

  it('writes inside .partial/, publishes by rename with metadata beside the file', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, writeBufferSize: 1024 });
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.alloc(4096, 9)]);
    expect(await readdir(dir)).toEqual(['.partial']);
    expect(await readdir(join(dir, '.partial'))).toEqual([sink.id]);
    await sink.commit(meta(Buffer.alloc(4096, 9)));
    expect((await readdir(dir)).sort()).toEqual(['.partial', sink.id, `${sink.id}.json`].sort());
    expect(await readdir(join(dir, '.partial'))).toEqual([]);
  });

  it('abort empties .partial/ whether or not a buffer was flushed', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, writeBufferSize: 1024 });
    const small = await storage.begin(createFileId());
    const large = await storage.begin(createFileId());
    await writeAll(small, [Buffer.alloc(10, 1)]);
    await writeAll(large, [Buffer.alloc(10_000, 2)]);
    await Promise.all([small.abort(), large.abort()]);
    expect(await readdir(dir)).toEqual(['.partial']);
    expect(await readdir(join(dir, '.partial'))).toEqual([]);
  });

  it('leaves no data file behind when the metadata cannot be published (multipart and tus)', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const sink = await storage.begin(createFileId());
    const partial = createFileId();
    await storage.resumable?.createPartial(partial, {
      length: 3,
      metadata: {},
      name: 'a.bin',
      type: 'application/octet-stream',
      createdAt: 0,
      expiresAt: null,
    });
    // A folder where `<id>.json` should go: the last rename of each publication fails.
    for (const id of [sink.id, partial]) await mkdir(join(dir, `${id}.json`));
    await writeAll(sink, [Buffer.from('bye')]);
    await expect(sink.commit(meta(Buffer.from('bye')))).rejects.toThrow();
    await expect(storage.resumable?.publish(partial, meta(Buffer.alloc(0)))).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(
      ['.partial', `${sink.id}.json`, `${partial}.json`].sort(),
    );
  });

  it('refuses ids that could leave the directory', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir });
    for (const id of ['../x', '..', 'a/b', '.partial', 'x.json', '']) {
      await expect(storage.begin(id)).rejects.toThrow();
      expect(await storage.stat(id)).toBeNull();
      expect(await storage.delete(id)).toBe(false);
      await expect(storage.createReadStream(id)).rejects.toThrow();
    }
  });

  it('coalesces small writes into buffer-sized disk writes, and asks to wait only when both buffers are busy', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, writeBufferSize: 64 * 1024 });
    const sink = await storage.begin(createFileId());
    let waits = 0;
    const chunk = Buffer.alloc(1000, 7);
    for (let i = 0; i < 1000; i++) {
      const wait = sink.write(chunk);
      if (wait) {
        waits++;
        await wait;
      }
    }
    // 1000 writes of 1000 bytes are about 15 buffers: at most one wait per buffer.
    expect(waits).toBeLessThanOrEqual(16);
    const stored = await sink.commit(meta(Buffer.alloc(0)));
    expect(stored.size).toBe(1_000_000);
  });
});

describe('memoryStorage limits', () => {
  it('refuses writes past maxTotalBytes and gives the room back on abort and delete', async () => {
    const storage = memoryStorage({ maxTotalBytes: 1000 });
    const a = await storage.begin(createFileId());
    await writeAll(a, [Buffer.alloc(800)]);
    const b = await storage.begin(createFileId());
    await expect(Promise.resolve(b.write(Buffer.alloc(300)))).rejects.toThrow();
    await a.abort();
    await writeAll(b, [Buffer.alloc(900)]);
    await b.commit(meta(Buffer.alloc(900)));
    await storage.delete(b.id);
    const c = await storage.begin(createFileId());
    await writeAll(c, [Buffer.alloc(1000)]);
    expect(c.bytesWritten).toBe(1000);
  });
});
