import { describe, expect, it } from 'vitest';
import { createFileId } from '../file-id';
import type { PartialState, ResumableStorage } from '../resumable-storage';
import type { Storage } from '../storage';
import { commitMeta, oddChunks, patterned, readAll, writeAll } from './storage-io';

export interface ResumableUnderTest {
  /** Where published uploads are served from. */
  storage: Storage;
  resumable: ResumableStorage;
}

export const partialState = (length: number | null): PartialState => ({
  length,
  metadata: { filename: 'a.bin' },
  name: 'a.bin',
  type: 'application/octet-stream',
  createdAt: 1,
  expiresAt: null,
});

/**
 * What every `ResumableStorage` promises, as one table: join it with one line,
 * `resumableContract('mine', async () => ({ storage, resumable: storage.resumable }))`, each
 * test getting a fresh, empty pair.
 */
export function resumableContract(
  name: string,
  makeResumable: () => Promise<ResumableUnderTest>,
): void {
  describe(`${name} (ResumableStorage contract)`, () => {
    it('appends from the offset in odd chunk sizes over several writers, then publishes as a file', async () => {
      const { storage, resumable } = await makeResumable();
      const id = createFileId();
      const data = patterned(10_007);
      await resumable.createPartial(id, partialState(data.length));
      expect(await resumable.getPartialInfo(id)).toEqual({
        ...partialState(data.length),
        id,
        offset: 0,
      });
      let offset = 0;
      for (const piece of [data.subarray(0, 4000), data.subarray(4000)]) {
        const writer = await resumable.appendAt(id, offset);
        await writeAll(writer, oddChunks(piece));
        expect(writer.bytesWritten).toBe(piece.length);
        offset = await writer.close();
        await expect(Promise.resolve(writer.write(Buffer.from('x')))).rejects.toThrow();
      }
      expect(offset).toBe(data.length);
      expect((await resumable.getPartialInfo(id))?.offset).toBe(data.length);
      expect((await readAll(await resumable.readPartial(id))).equals(data)).toBe(true);
      expect(await storage.stat(id)).toBeNull();

      const stored = await resumable.publish(id, commitMeta(data));
      expect(stored).toMatchObject({ id, size: data.length, sha256: commitMeta(data).sha256 });
      expect(await storage.stat(id)).toEqual(stored);
      expect((await readAll(await storage.createReadStream(id))).equals(data)).toBe(true);
      expect(await resumable.getPartialInfo(id)).toBeNull();
      expect(await resumable.listPartials()).toEqual([]);
    });

    it('discard drops that writer’s bytes alone: the offset stays where it was', async () => {
      const { resumable } = await makeResumable();
      const id = createFileId();
      await resumable.createPartial(id, partialState(null));
      const first = await resumable.appendAt(id, 0);
      await writeAll(first, [Buffer.from('kept')]);
      expect(await first.close()).toBe(4);
      const second = await resumable.appendAt(id, 4);
      // Past a disk write buffer or two, so some of them reached the store before the discard.
      await writeAll(second, oddChunks(Buffer.alloc(2_500_000, 7)));
      await second.discard();
      await second.discard();
      await expect(Promise.resolve(second.write(Buffer.from('x')))).rejects.toThrow();
      expect((await resumable.getPartialInfo(id))?.offset).toBe(4);
      expect((await readAll(await resumable.readPartial(id))).toString()).toBe('kept');
    });

    it('appends only at the current offset', async () => {
      const { resumable } = await makeResumable();
      const id = createFileId();
      await resumable.createPartial(id, partialState(10));
      await expect(resumable.appendAt(id, 1)).rejects.toThrow();
      const writer = await resumable.appendAt(id, 0);
      await writeAll(writer, [Buffer.from('abc')]);
      await writer.close();
      await expect(resumable.appendAt(id, 0)).rejects.toThrow();
      await expect(resumable.appendAt(id, 4)).rejects.toThrow();
      await (await resumable.appendAt(id, 3)).close();
    });

    it('updates the length and expiry, keeps the rest of the state, and lists every partial', async () => {
      const { resumable } = await makeResumable();
      const [a, b] = [createFileId(), createFileId()];
      await resumable.createPartial(a, partialState(null));
      await resumable.createPartial(b, partialState(5));
      await expect(resumable.createPartial(a, partialState(1))).rejects.toThrow();
      await resumable.updatePartial(a, { length: 12, expiresAt: 99 });
      expect(await resumable.getPartialInfo(a)).toEqual({
        ...partialState(12),
        expiresAt: 99,
        id: a,
        offset: 0,
      });
      const listed = await resumable.listPartials();
      expect(listed.map((p) => p.id).sort()).toEqual([a, b].sort());
      await expect(resumable.updatePartial(createFileId(), { length: 1 })).rejects.toThrow();
    });

    it('deletes: true once, then false; a deleted or unknown upload is gone to every call', async () => {
      const { storage, resumable } = await makeResumable();
      const id = createFileId();
      await resumable.createPartial(id, partialState(3));
      const writer = await resumable.appendAt(id, 0);
      await writeAll(writer, [Buffer.from('abc')]);
      await writer.close();
      expect(await resumable.deletePartial(id)).toBe(true);
      expect(await resumable.deletePartial(id)).toBe(false);
      for (const gone of [id, createFileId()]) {
        expect(await resumable.getPartialInfo(gone)).toBeNull();
        await expect(resumable.appendAt(gone, 0)).rejects.toThrow();
        await expect(resumable.readPartial(gone)).rejects.toThrow();
        await expect(resumable.publish(gone, commitMeta(Buffer.alloc(0)))).rejects.toThrow();
      }
      expect(await resumable.listPartials()).toEqual([]);
      expect(await storage.stat(id)).toBeNull();
    });

    it('publishes an empty upload', async () => {
      const { storage, resumable } = await makeResumable();
      const id = createFileId();
      await resumable.createPartial(id, partialState(0));
      const stored = await resumable.publish(id, commitMeta(Buffer.alloc(0)));
      expect(stored.size).toBe(0);
      expect((await readAll(await storage.createReadStream(id))).length).toBe(0);
    });
  });
}
