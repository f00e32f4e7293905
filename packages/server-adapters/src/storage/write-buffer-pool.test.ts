import { describe, expect, it } from 'vitest';
import { diskLayout } from './disk-layout';
import { diskStorage } from './disk-storage';
import { createFileId } from './file-id';
import { commitMeta as meta, readAll, writeAll } from './test-support/storage-io';
import { tempDirs } from './test-support/temp-dirs';
import { writeBufferPool } from './write-buffer-pool';

const tempDir = tempDirs('updown-pool-');

describe('writeBufferPool', () => {
  it('hands back a buffer it was given, and makes one when it has none', () => {
    const pool = writeBufferPool(64, 1);
    const first = pool.take();
    expect(first.length).toBe(64);
    pool.give(first);
    expect(pool.take()).toBe(first);
    expect(pool.take()).not.toBe(first);
  });

  it('keeps 8 MiB of spares by default, whatever their size, and at least two', () => {
    const kept = (size: number) => {
      const pool = writeBufferPool(size);
      const given = Array.from({ length: 100 }, () => pool.take());
      for (const buffer of given) pool.give(buffer);
      return Array.from({ length: 100 }, () => pool.take()).filter((b) => given.includes(b)).length;
    };
    expect(kept(256 * 1024)).toBe(32);
    expect(kept(1024 * 1024)).toBe(8);
    expect(kept(8 * 1024 * 1024)).toBe(2);
  });

  it('keeps at most `keep` spares, and none of another size', () => {
    const pool = writeBufferPool(64, 1);
    const [a, b] = [pool.take(), pool.take()];
    pool.give(a);
    pool.give(b);
    pool.give(Buffer.alloc(32));
    expect(pool.take()).toBe(a);
    const fresh = pool.take();
    expect([a, b]).not.toContain(fresh);
    expect(fresh.length).toBe(64);
  });
});

describe('diskStorage write buffers', () => {
  it('are 256 KiB unless writeBufferSize says otherwise', () => {
    expect(diskLayout({ directory: 'files' }).buffers.size).toBe(256 * 1024);
    expect(diskLayout({ directory: 'files', writeBufferSize: 4096 }).buffers.size).toBe(4096);
  });

  it('a file written after a longer one holds only its own bytes, committed or aborted before', async () => {
    const storage = diskStorage({ directory: await tempDir(), writeBufferSize: 1000 });
    const long = Buffer.alloc(2500, 1);
    const first = await storage.begin(createFileId());
    await writeAll(first, [long]);
    await first.commit(meta(long));
    const dropped = await storage.begin(createFileId());
    await writeAll(dropped, [Buffer.alloc(1500, 2)]);
    await dropped.abort();
    for (const short of [Buffer.alloc(10, 3), Buffer.alloc(1010, 4)]) {
      const sink = await storage.begin(createFileId());
      await writeAll(sink, [short]);
      await sink.commit(meta(short));
      expect(await readAll(await storage.createReadStream(sink.id))).toEqual(short);
    }
    expect(await readAll(await storage.createReadStream(first.id))).toEqual(long);
  });
});
