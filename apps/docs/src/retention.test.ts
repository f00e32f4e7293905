import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskStorage } from '@updown/server-adapters';
import { afterEach, describe, expect, it } from 'vitest';
import { keepRecentUploads } from '../demo/retention.mjs';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function store(storage: ReturnType<typeof diskStorage>, name: string): Promise<string> {
  const sink = await storage.begin(randomBytes(16).toString('base64url'));
  await sink.write(new TextEncoder().encode(name));
  return (await sink.commit({ name, type: 'text/plain', sha256: '' })).id;
}

describe('the demo server keeps recent uploads only', () => {
  it('removes files older than keepMs from the disk, and leaves newer ones', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'updown-retention-'));
    folders.push(directory);
    const storage = diskStorage({ directory });
    const old = await store(storage, 'old.txt');
    let clock = Date.now() + 2 * 60 * 60 * 1000;
    const recent = await store(storage, 'recent.txt');
    const retention = keepRecentUploads(storage, { keepMs: 60 * 60 * 1000, now: () => clock });
    retention.stop();
    // The first sweep ran at once, with the clock two hours on: both files are old.
    await expect.poll(() => storage.list?.()).toEqual([]);
    expect((await readdir(directory)).filter((name) => !name.startsWith('.'))).toEqual([]);
    const fresh = await store(storage, 'fresh.txt');
    clock = Date.now();
    expect(await retention.sweep()).toBe(0);
    expect((await storage.list?.())?.map((file) => file.id)).toEqual([fresh]);
    expect([old, recent]).not.toContain(fresh);
  });
});
