import { describe, expect, it } from 'vitest';
import { createFileId } from '../file-id';
import type { Storage } from '../storage';
import { commitMeta, oddChunks, patterned, readAll, writeAll } from './storage-io';

/**
 * What every `Storage` promises, as one table: a storage joins it with one line,
 * `storageContract('myStorage', async () => myStorage(...))`, each test getting a fresh, empty one.
 */
export function storageContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`${name} (Storage contract)`, () => {
    it('commits bytes written in odd chunk sizes, and reads them back whole and by range', async () => {
      const storage = await makeStorage();
      const data = patterned(10_007);
      const sink = await storage.begin(createFileId());
      await writeAll(sink, oddChunks(data));
      expect(sink.bytesWritten).toBe(data.length);
      const stored = await sink.commit({ ...commitMeta(data), fields: { a: '1' } });
      expect(stored).toMatchObject({
        id: sink.id,
        size: data.length,
        name: 'a.bin',
        sha256: commitMeta(data).sha256,
        fields: { a: '1' },
      });
      expect(await storage.stat(sink.id)).toEqual(stored);
      expect((await readAll(await storage.createReadStream(sink.id))).equals(data)).toBe(true);
      const part = await readAll(
        await storage.createReadStream(sink.id, { start: 1000, end: 2999 }),
      );
      expect(part.equals(data.subarray(1000, 3000))).toBe(true);
      expect((await storage.list?.())?.map((m) => m.id)).toEqual([sink.id]);
    });

    it('shows nothing before commit, and abort leaves nothing', async () => {
      const storage = await makeStorage();
      const sink = await storage.begin(createFileId());
      await writeAll(sink, [Buffer.alloc(5000, 1)]);
      expect(await storage.stat(sink.id)).toBeNull();
      expect(await storage.list?.()).toEqual([]);
      await expect(storage.createReadStream(sink.id)).rejects.toThrow();
      await sink.abort();
      await sink.abort();
      expect(await storage.stat(sink.id)).toBeNull();
      await expect(Promise.resolve(sink.write(Buffer.from('x')))).rejects.toThrow();
      await expect(sink.commit(commitMeta(Buffer.alloc(0)))).rejects.toThrow();
      expect(await storage.stat(sink.id)).toBeNull();
    });

    it('keeps a committed file through a late abort, and refuses a second commit', async () => {
      const storage = await makeStorage();
      const sink = await storage.begin(createFileId());
      await writeAll(sink, [Buffer.from('kept')]);
      const stored = await sink.commit(commitMeta(Buffer.from('kept')));
      await sink.abort();
      await expect(sink.commit(commitMeta(Buffer.from('kept')))).rejects.toThrow();
      await expect(Promise.resolve(sink.write(Buffer.from('x')))).rejects.toThrow();
      expect(await storage.stat(sink.id)).toEqual(stored);
      expect((await readAll(await storage.createReadStream(sink.id))).toString()).toBe('kept');
    });

    it('commits an empty file', async () => {
      const storage = await makeStorage();
      const sink = await storage.begin(createFileId());
      const stored = await sink.commit(commitMeta(Buffer.alloc(0)));
      expect(stored.size).toBe(0);
      expect((await readAll(await storage.createReadStream(sink.id))).length).toBe(0);
    });

    it('deletes: true once, then false; unknown ids are null / false / rejected', async () => {
      const storage = await makeStorage();
      const sink = await storage.begin(createFileId());
      await writeAll(sink, [Buffer.from('bye')]);
      await sink.commit(commitMeta(Buffer.from('bye')));
      expect(await storage.delete(sink.id)).toBe(true);
      expect(await storage.delete(sink.id)).toBe(false);
      expect(await storage.stat(sink.id)).toBeNull();
      const unknown = createFileId();
      expect(await storage.stat(unknown)).toBeNull();
      expect(await storage.delete(unknown)).toBe(false);
      // The download answers 404 for this code, whichever storage it came from.
      await expect(storage.createReadStream(unknown)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(storage.createReadStream(sink.id)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('keeps several files apart while they are written at once', async () => {
      const storage = await makeStorage();
      const datas = [Buffer.alloc(3000, 1), Buffer.alloc(2500, 2), Buffer.alloc(10, 3)];
      const sinks = await Promise.all(datas.map(() => storage.begin(createFileId())));
      await Promise.all(sinks.map((s, i) => writeAll(s, [datas[i] as Buffer, datas[i] as Buffer])));
      await Promise.all(sinks.map((s, i) => s.commit(commitMeta(datas[i] as Buffer))));
      for (const [i, s] of sinks.entries()) {
        const back = await readAll(await storage.createReadStream(s.id));
        expect(back.equals(Buffer.concat([datas[i] as Buffer, datas[i] as Buffer]))).toBe(true);
      }
    });
  });
}
