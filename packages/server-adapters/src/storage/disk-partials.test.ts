import { readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { createUploadHandler } from '../handler/create-upload-handler';
import { diskResumable } from './disk-resumable';
import { diskStorage, PARTIAL_DIR } from './disk-storage';
import { createFileId } from './file-id';
import { tempDirs } from './test-support/temp-dirs';

// The working folder `.partial/` of a disk store (issue 11): made again when someone removes
// it while the server runs, and cleared of what a killed process left there, by the sweep
// and at start, without touching what a live writer holds.

const tempDir = tempDirs('updown-partials-');
const DAY = 24 * 60 * 60 * 1000;

const meta = { name: 'a.bin', type: 'application/octet-stream', sha256: 'x' };

async function ageFile(path: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  await utimes(path, when, when);
}

/** What a process killed mid-write leaves: bytes, metadata written aside, a state's temp copy. */
async function crashLeftovers(partialDir: string, ageMs: number): Promise<string[]> {
  const names = [
    createFileId(),
    `${createFileId()}.json`,
    `${createFileId()}.tus.json.4242.tmp`,
    // A tus upload whose state never got written, and a state whose bytes are gone.
    createFileId(),
    `${createFileId()}.tus.json`,
  ];
  for (const name of names) {
    await writeFile(join(partialDir, name), 'left');
    await ageFile(join(partialDir, name), ageMs);
  }
  return names;
}

describe('disk working folder', () => {
  it('diskStorage makes .partial/ again when it is removed while the server runs', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const first = await storage.begin(createFileId());
    first.write(Buffer.from('one'));
    await first.commit(meta);
    await rm(join(dir, PARTIAL_DIR), { recursive: true, force: true });
    const second = await storage.begin(createFileId());
    await second.write(Buffer.from('two'));
    const stored = await second.commit(meta);
    expect(stored.size).toBe(3);
    expect(await storage.stat(stored.id)).toMatchObject({ size: 3 });
  });

  it('diskResumable makes .partial/ again when it is removed while the server runs', async () => {
    const dir = await tempDir();
    const store = diskResumable({ directory: dir, fsync: false });
    const state = {
      length: 4,
      metadata: {},
      name: 'a',
      type: 'application/octet-stream',
      createdAt: Date.now(),
      expiresAt: null,
    };
    await store.createPartial(createFileId(), state);
    await rm(join(dir, PARTIAL_DIR), { recursive: true, force: true });
    const id = createFileId();
    await store.createPartial(id, state);
    const writer = await store.appendAt(id, 0);
    await writer.write(Buffer.from('abcd'));
    await writer.close();
    expect((await store.getPartialInfo(id))?.offset).toBe(4);
  });

  it('dropAbandoned removes what a killed writer left past the age, never a live one', async () => {
    const dir = await tempDir();
    const storage = diskStorage({ directory: dir, fsync: false });
    const store = storage.resumable!;
    const partialDir = join(dir, PARTIAL_DIR);
    // A tus upload with its state, old: left to its own expiry.
    const tusId = createFileId();
    await store.createPartial(tusId, {
      length: 10,
      metadata: {},
      name: 'a',
      type: 'application/octet-stream',
      createdAt: Date.now(),
      expiresAt: Date.now() + DAY,
    });
    await ageFile(join(partialDir, tusId), 2 * DAY);
    await ageFile(join(partialDir, `${tusId}.tus.json`), 2 * DAY);
    // A multipart file this process is writing, untouched for long: its writer is alive.
    const live = await storage.begin(createFileId());
    live.write(Buffer.from('live'));
    // The file is created while its first bytes are buffered, not before begin resolves.
    await vi.waitFor(() => stat(join(partialDir, live.id)));
    await ageFile(join(partialDir, live.id), 2 * DAY);
    const old = await crashLeftovers(partialDir, 2 * DAY);
    const fresh = await crashLeftovers(partialDir, 0);

    expect(await storage.dropAbandoned?.(Date.now() - DAY)).toBe(old.length);
    const left = await readdir(partialDir);
    for (const name of old) expect(left).not.toContain(name);
    for (const name of fresh) expect(left).toContain(name);
    expect(left).toContain(tusId);
    expect(left).toContain(`${tusId}.tus.json`);
    expect(left).toContain(live.id);
    expect((await live.commit(meta)).size).toBe(4);
    expect(await storage.dropAbandoned?.(Date.now() - DAY)).toBe(0);
  });

  it('the tus sweep and a handler that starts remove old crash leftovers, not new ones', async () => {
    const dir = await tempDir();
    const partialDir = join(dir, PARTIAL_DIR);
    // Makes the folder.
    await (await diskStorage({ directory: dir }).begin(createFileId())).abort();
    const leftovers = await crashLeftovers(partialDir, 2 * DAY);
    const fresh = await crashLeftovers(partialDir, 60_000);
    const before = (await readdir(partialDir)).filter((n) => !leftovers.includes(n));
    // Another process sharing the folder would be writing the fresh ones: they stay.
    const handler = createUploadHandler({ storage: diskStorage({ directory: dir }) });
    let left = await readdir(partialDir);
    for (let i = 0; i < 100 && leftovers.some((n) => left.includes(n)); i++) {
      await sleep(20);
      left = await readdir(partialDir);
    }
    expect(left.sort()).toEqual(before.sort());
    for (const name of fresh) expect(left).toContain(name);
    // The sweep takes them once they are as old.
    for (const name of fresh) await ageFile(join(partialDir, name), 2 * DAY);
    expect(await handler.sweepExpiredUploads()).toBeGreaterThanOrEqual(fresh.length);
    for (const name of fresh) expect(await readdir(partialDir)).not.toContain(name);
  });
});
