import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskStorage } from './disk-storage';
import { createFileId } from './file-id';
import { isNotFound } from './not-found';
import { sharedDescriptors } from './shared-descriptors';
import { commitMeta, readAll, writeAll } from './test-support/storage-io';
import { tempDirs } from './test-support/temp-dirs';

const tempDir = tempDirs('updown-shared-descriptors-');

/** The descriptors this process holds open on `path`. */
function openOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++;
    } catch {
      // Closed while listed.
    }
  }
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function file(bytes = randomBytes(300_000)): Promise<{ path: string; bytes: Buffer }> {
  const path = join(await tempDir(), 'f');
  await writeFile(path, bytes);
  return { path, bytes };
}

describe('sharedDescriptors', () => {
  it('serves many streams at once from one descriptor, whole and ranged, each its own bytes', async () => {
    const { path, bytes } = await file();
    const shared = sharedDescriptors();
    const ranges = Array.from({ length: 40 }, (_, i) =>
      i % 4 === 0 ? undefined : { start: i * 997, end: i * 997 + 50_000 },
    );
    const streams = await Promise.all(ranges.map((r) => shared.createReadStream(path, 4096, r)));
    expect(openOn(path)).toBe(1);
    const read = await Promise.all(streams.map(readAll));
    read.forEach((got, i) => {
      const r = ranges[i];
      expect(got.equals(r ? bytes.subarray(r.start, r.end + 1) : bytes), String(i)).toBe(true);
    });
  });

  it('keeps the descriptor open under other readers when one stream is destroyed mid-way', async () => {
    const { path, bytes } = await file();
    const shared = sharedDescriptors();
    const cut = await shared.createReadStream(path, 1024);
    const others = await Promise.all(
      Array.from({ length: 8 }, () => shared.createReadStream(path, 1024)),
    );
    cut.once('data', () => cut.destroy());
    await new Promise((resolve) => cut.once('close', resolve));
    for (const got of await Promise.all(others.map(readAll))) expect(got.equals(bytes)).toBe(true);
    // And a stream made after it reads from the same descriptor, still open.
    expect((await readAll(await shared.createReadStream(path, 1024))).equals(bytes)).toBe(true);
    expect(openOn(path)).toBe(1);
  });

  it('closes a forgotten descriptor once its last reader is done, and opens the file anew', async () => {
    const { path, bytes } = await file();
    const shared = sharedDescriptors();
    const reading = await shared.createReadStream(path, 1024);
    shared.forget(path);
    // Replaced by a rename: the reader keeps the old bytes, a new stream gets the new ones.
    const next = randomBytes(1000);
    await writeFile(`${path}.new`, next);
    await rename(`${path}.new`, path);
    const fresh = await shared.createReadStream(path, 1024);
    expect((await readAll(reading)).equals(bytes)).toBe(true);
    expect((await readAll(fresh)).equals(next)).toBe(true);
    await sleep(20);
    expect(openOn(path)).toBe(1);
    shared.forget(path);
    await sleep(20);
    expect(openOn(path)).toBe(0);
  });

  it('closes a descriptor nobody read for a sweep', async () => {
    const { path } = await file();
    const shared = sharedDescriptors({ idleMs: 50 });
    await readAll(await shared.createReadStream(path, 1024));
    expect(openOn(path)).toBe(1);
    await sleep(200);
    expect(openOn(path)).toBe(0);
  });

  it('past its capacity gives each stream a descriptor of its own, closed with it', async () => {
    const dir = await tempDir();
    const shared = sharedDescriptors({ capacity: 1 });
    const paths = [join(dir, 'a'), join(dir, 'b')];
    await Promise.all(paths.map((p) => writeFile(p, p)));
    const [a, b] = await Promise.all(paths.map((p) => shared.createReadStream(p, 1024)));
    expect(String(await readAll(a!))).toBe(paths[0]);
    expect(String(await readAll(b!))).toBe(paths[1]);
    await sleep(20);
    expect(openOn(paths[0]!)).toBe(1);
    expect(openOn(paths[1]!)).toBe(0);
  });

  it('fails as a missing file does, and keeps nothing for it', async () => {
    const path = join(await tempDir(), 'missing');
    const shared = sharedDescriptors();
    const error = await shared.createReadStream(path, 1024).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    await writeFile(path, 'now here');
    expect(String(await readAll(await shared.createReadStream(path, 1024)))).toBe('now here');
  });
});

describe('diskStorage on shared descriptors', () => {
  async function stored(dir: string, data: Buffer) {
    const storage = diskStorage({ directory: dir, fsync: false });
    const sink = await storage.begin(createFileId());
    await writeAll(sink, [data]);
    await sink.commit(commitMeta(data));
    return { storage, id: sink.id };
  }

  it('serves new bytes once the file and its metadata were replaced behind its back', async () => {
    const dir = await tempDir();
    const { storage, id } = await stored(dir, Buffer.from('first bytes'));
    expect(await storage.stat(id)).toMatchObject({ size: 11 });
    expect(String(await readAll(await storage.createReadStream(id)))).toBe('first bytes');
    // Another process rewrites both, as diskStorage publishes: bytes, then metadata.
    const next = Buffer.from('second, longer bytes');
    const meta = { ...(await storage.stat(id)), size: next.length, ...commitMeta(next) };
    await writeFile(join(dir, `${id}.tmp`), next);
    await rename(join(dir, `${id}.tmp`), join(dir, id));
    await writeFile(join(dir, `${id}.json.tmp`), JSON.stringify(meta));
    await rename(join(dir, `${id}.json.tmp`), join(dir, `${id}.json`));
    expect(await storage.stat(id)).toMatchObject({ size: next.length });
    expect(String(await readAll(await storage.createReadStream(id)))).toBe(String(next));
  });

  it('closes the descriptor of a deleted file', async () => {
    const dir = await tempDir();
    const { storage, id } = await stored(dir, Buffer.from('bytes'));
    await readAll(await storage.createReadStream(id, { start: 1, end: 3 }));
    expect(openOn(join(dir, id))).toBe(1);
    expect(await storage.delete(id)).toBe(true);
    await sleep(20);
    expect(readdirSync('/proc/self/fd').some((fd) => openOnFd(fd, join(dir, id)))).toBe(false);
  });
});

/** Whether `fd` is open on `path` or on what was `path` before it was deleted. */
function openOnFd(fd: string, path: string): boolean {
  try {
    const target = readlinkSync(`/proc/self/fd/${fd}`);
    return target === path || target === `${path} (deleted)`;
  } catch {
    return false;
  }
}
