import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskResumable } from './disk-resumable';
import { diskStorage } from './disk-storage';
import { createFileId } from './file-id';
import { memoryResumable } from './memory-resumable';
import { memoryStorage } from './memory-storage';
import type { ResumableStorage } from './resumable-storage';
import { partialState, resumableContract } from './test-support/resumable-contract';
import { commitMeta, readAll, writeAll } from './test-support/storage-io';
import { tempDirs } from './test-support/temp-dirs';

const tempDir = tempDirs('updown-resumable-');

function resumableOf(storage: { resumable?: ResumableStorage }): ResumableStorage {
  if (!storage.resumable) throw new Error('no resumable side');
  return storage.resumable;
}

resumableContract('diskStorage().resumable', async () => {
  const storage = diskStorage({ directory: await tempDir() });
  return { storage, resumable: resumableOf(storage) };
});
// A tiny write buffer crosses buffer boundaries on every test.
resumableContract('diskStorage().resumable (small buffer, no fsync)', async () => {
  const storage = diskStorage({ directory: await tempDir(), writeBufferSize: 1000, fsync: false });
  return { storage, resumable: resumableOf(storage) };
});
resumableContract('memoryResumable(memoryStorage())', async () => {
  const storage = memoryStorage();
  return { storage, resumable: memoryResumable(storage) };
});
resumableContract('memoryResumable(diskStorage())', async () => {
  const storage = diskStorage({ directory: await tempDir() });
  return { storage, resumable: memoryResumable(storage) };
});

describe('diskResumable', () => {
  it('keeps offsets and state across a restart, and publishes after it', async () => {
    const directory = await tempDir();
    const id = createFileId();
    const before = diskResumable({ directory });
    await before.createPartial(id, partialState(6));
    const writer = await before.appendAt(id, 0);
    await writeAll(writer, [Buffer.from('abc')]);
    await writer.close();

    const storage = diskStorage({ directory });
    const after = resumableOf(storage);
    expect(await after.getPartialInfo(id)).toEqual({ ...partialState(6), id, offset: 3 });
    expect((await after.listPartials()).map((p) => p.id)).toEqual([id]);
    const more = await after.appendAt(id, 3);
    await writeAll(more, [Buffer.from('def')]);
    await more.close();
    await after.publish(id, commitMeta(Buffer.from('abcdef')));
    expect((await readAll(await storage.createReadStream(id))).toString()).toBe('abcdef');
    expect((await readdir(directory)).sort()).toEqual(['.partial', id, `${id}.json`].sort());
    expect(await readdir(join(directory, '.partial'))).toEqual([]);
  });

  it('refuses ids that could leave the directory', async () => {
    const resumable = diskResumable({ directory: await tempDir() });
    for (const id of ['../x', '..', 'a/b', '.partial', 'x.json', '']) {
      await expect(resumable.createPartial(id, partialState(1))).rejects.toThrow();
      expect(await resumable.getPartialInfo(id)).toBeNull();
      expect(await resumable.deletePartial(id)).toBe(false);
      await expect(resumable.appendAt(id, 0)).rejects.toThrow();
    }
  });
});

describe('memoryResumable limits', () => {
  it('refuses writes past maxTotalBytes and gives the room back on discard, delete and publish', async () => {
    const resumable = memoryResumable(memoryStorage(), { maxTotalBytes: 1000 });
    const [a, b] = [createFileId(), createFileId()];
    await resumable.createPartial(a, partialState(null));
    await resumable.createPartial(b, partialState(null));
    const first = await resumable.appendAt(a, 0);
    await writeAll(first, [Buffer.alloc(800)]);
    const second = await resumable.appendAt(b, 0);
    await expect(Promise.resolve(second.write(Buffer.alloc(300)))).rejects.toThrow();
    await first.discard();
    await writeAll(second, [Buffer.alloc(900)]);
    await second.close();
    await resumable.publish(b, commitMeta(Buffer.alloc(900)));
    // Published: its bytes now count against the storage, not the partials.
    const third = await resumable.appendAt(a, 0);
    await writeAll(third, [Buffer.alloc(1000)]);
    await third.close();
    await resumable.deletePartial(a);
    const c = createFileId();
    await resumable.createPartial(c, partialState(null));
    const fourth = await resumable.appendAt(c, 0);
    await writeAll(fourth, [Buffer.alloc(1000)]);
    expect(await fourth.close()).toBe(1000);
  });

  it('a writer whose upload was deleted meanwhile keeps nothing and gives its room back', async () => {
    const resumable = memoryResumable(memoryStorage(), { maxTotalBytes: 1000 });
    const id = createFileId();
    await resumable.createPartial(id, partialState(null));
    const writer = await resumable.appendAt(id, 0);
    await writeAll(writer, [Buffer.alloc(1000)]);
    await resumable.deletePartial(id);
    await expect(writer.close()).rejects.toThrow();
    const next = createFileId();
    await resumable.createPartial(next, partialState(null));
    const room = await resumable.appendAt(next, 0);
    await writeAll(room, [Buffer.alloc(1000)]);
    expect(await room.close()).toBe(1000);
  });
});
