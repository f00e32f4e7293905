import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileId } from '../intake/file-id';
import { diskStorage } from './disk-storage';
import { memoryStorage } from './memory-storage';
import type { Storage, WriteSink } from './storage';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Writes as the intake does: waits only when the sink asks. */
async function writeAll(sink: WriteSink, chunks: Uint8Array[]): Promise<void> {
  for (const c of chunks) await sink.write(c);
}

const meta = (data: Buffer) => ({
  name: 'a.bin',
  type: 'application/octet-stream',
  sha256: createHash('sha256').update(data).digest('hex'),
});

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'updown-storage-'));
  dirs.push(dir);
  return dir;
}

const kinds: [string, () => Promise<Storage>][] = [
  ['diskStorage', async () => diskStorage({ directory: await tempDir() })],
  // A tiny write buffer crosses buffer boundaries on every test.
  [
    'diskStorage (small buffer)',
    async () => diskStorage({ directory: await tempDir(), writeBufferSize: 1000 }),
  ],
  ['memoryStorage', async () => memoryStorage()],
];

describe.each(kinds)('%s', (_name, make) => {
  it('commits bytes written in odd chunk sizes, and reads them back whole and by range', async () => {
    const storage = await make();
    const data = Buffer.from(Array.from({ length: 10_007 }, (_, i) => (i * 31) % 256));
    const sink = await storage.begin(createFileId());
    const chunks: Buffer[] = [];
    for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7) % 3001 || 1) {
      chunks.push(data.subarray(at, at + size));
    }
    await writeAll(sink, chunks);
    expect(sink.bytesWritten).toBe(data.length);
    const stored = await sink.commit({ ...meta(data), fields: { a: '1' } });
    expect(stored).toMatchObject({
      id: sink.id,
      size: data.length,
      name: 'a.bin',
      fields: { a: '1' },
    });
    expect(await storage.stat(sink.id)).toEqual(stored);
    expect((await readAll(await storage.createReadStream(sink.id))).equals(data)).toBe(true);
    const part = await readAll(await storage.createReadStream(sink.id, { start: 1000, end: 2999 }));
    expect(part.equals(data.subarray(1000, 3000))).toBe(true);
    expect((await storage.list?.())?.map((m) => m.id)).toEqual([sink.id]);
  });

  it('shows nothing before commit, and abort leaves nothing', async () => {
    const storage = await make();
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.alloc(5000, 1)]);
    expect(await storage.stat(sink.id)).toBeNull();
    expect(await storage.list?.()).toEqual([]);
    await expect(storage.createReadStream(sink.id)).rejects.toThrow();
    await sink.abort();
    await sink.abort();
    expect(await storage.stat(sink.id)).toBeNull();
    await expect(Promise.resolve(sink.write(Buffer.from('x')))).rejects.toThrow();
  });

  it('commits an empty file', async () => {
    const storage = await make();
    const sink = await storage.begin(createFileId());
    const stored = await sink.commit(meta(Buffer.alloc(0)));
    expect(stored.size).toBe(0);
    expect((await readAll(await storage.createReadStream(sink.id))).length).toBe(0);
  });

  it('deletes: true once, then false; unknown ids are null / false / rejected', async () => {
    const storage = await make();
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [Buffer.from('bye')]);
    await sink.commit(meta(Buffer.from('bye')));
    expect(await storage.delete(sink.id)).toBe(true);
    expect(await storage.delete(sink.id)).toBe(false);
    expect(await storage.stat(sink.id)).toBeNull();
    const unknown = createFileId();
    expect(await storage.stat(unknown)).toBeNull();
    expect(await storage.delete(unknown)).toBe(false);
    await expect(storage.createReadStream(unknown)).rejects.toThrow();
  });

  it('keeps several files apart while they are written at once', async () => {
    const storage = await make();
    const datas = [Buffer.alloc(3000, 1), Buffer.alloc(2500, 2), Buffer.alloc(10, 3)];
    const sinks = await Promise.all(datas.map(() => storage.begin(createFileId())));
    await Promise.all(sinks.map((s, i) => writeAll(s, [datas[i] as Buffer, datas[i] as Buffer])));
    await Promise.all(sinks.map((s, i) => s.commit(meta(datas[i] as Buffer))));
    for (const [i, s] of sinks.entries()) {
      const back = await readAll(await storage.createReadStream(s.id));
      expect(back.equals(Buffer.concat([datas[i] as Buffer, datas[i] as Buffer]))).toBe(true);
    }
  });
});

describe('diskStorage layout', () => {
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
