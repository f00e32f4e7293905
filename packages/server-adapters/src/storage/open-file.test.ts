import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFile } from './open-file';

describe('openFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'updown-open-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes at positions, syncs, reports its size and closes', async () => {
    const file = await openFile(join(dir, 'a'), 'wx');
    expect(await file.write(Buffer.from('world'), 0, 5, 6)).toEqual({ bytesWritten: 5 });
    expect(await file.write(Buffer.from('xhello '), 1, 6, 0)).toEqual({ bytesWritten: 6 });
    await file.datasync();
    await file.sync();
    expect(await file.stat()).toMatchObject({ size: 11 });
    await file.close();
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('hello world');
  });

  it("refuses to open an existing file with 'wx', and a missing one with 'r+'", async () => {
    await (await openFile(join(dir, 'a'), 'wx')).close();
    await expect(openFile(join(dir, 'a'), 'wx')).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(openFile(join(dir, 'missing'), 'r+')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a second close leaves alone the file that took its descriptor number since', async () => {
    const first = await openFile(join(dir, 'a'), 'wx');
    await first.close();
    const second = await openFile(join(dir, 'b'), 'wx');
    await first.close();
    await second.write(Buffer.from('still open'), 0, 10, 0);
    await second.close();
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('still open');
  });

  it('refuses every call after its close, never reaching a descriptor reused since', async () => {
    const file = await openFile(join(dir, 'a'), 'wx');
    await file.close();
    const other = await openFile(join(dir, 'b'), 'wx');
    await expect(file.write(Buffer.from('x'), 0, 1, 0)).rejects.toMatchObject({ code: 'EBADF' });
    await expect(file.sync()).rejects.toMatchObject({ code: 'EBADF' });
    await expect(file.datasync()).rejects.toMatchObject({ code: 'EBADF' });
    await expect(file.stat()).rejects.toMatchObject({ code: 'EBADF' });
    await other.close();
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('');
  });
});
