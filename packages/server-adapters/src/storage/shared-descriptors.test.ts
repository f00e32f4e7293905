import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNotFound } from './not-found';
import { sharedDescriptors } from './shared-descriptors';
import { readAll } from './test-support/storage-io';
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
