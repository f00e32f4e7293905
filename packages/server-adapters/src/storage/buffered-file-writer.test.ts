import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferedFileWriter } from './buffered-file-writer';
import { tempDirs } from './test-support/temp-dirs';
import { writeBufferPool } from './write-buffer-pool';

const tempDir = tempDirs('updown-writer-');

/** A file whose handle is given to the writer only on `open()`: until then, no flush ends. */
async function heldFile(): Promise<{
  path: string;
  handle: Promise<FileHandle>;
  open: () => Promise<FileHandle>;
}> {
  const path = join(await tempDir(), 'file');
  let give!: (handle: FileHandle) => void;
  const handle = new Promise<FileHandle>((resolve) => {
    give = resolve;
  });
  return {
    path,
    handle,
    open: async () => {
      const opened = await open(path, 'w');
      give(opened);
      return opened;
    },
  };
}

const bytes = (length: number, seed: number) =>
  Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) % 256));

describe('BufferedFileWriter', () => {
  it('asks the caller to wait once a chunk like the last would not fit while a flush is on its way', async () => {
    const file = await heldFile();
    const writer = new BufferedFileWriter(file.handle, 0, writeBufferPool(1000));
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((i) => bytes(400, i)) as [
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
    ];
    // 400, 800, then 1,200: the first buffer is full and flushing (the handle is held), 200
    // in the second, room for 800 more.
    expect(writer.write(a)).toBeUndefined();
    expect(writer.write(b)).toBeUndefined();
    expect(writer.write(c)).toBeUndefined();
    // 600 in the second: 400 left, exactly room for another.
    expect(writer.write(d)).toBeUndefined();
    // 1,000: full while the first is still flushing; a next chunk would have to be copied.
    const wait = writer.write(e);
    expect(wait).toBeInstanceOf(Promise);
    let waited = false;
    void wait?.then(() => {
      waited = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(waited).toBe(false);
    const handle = await file.open();
    await wait;
    expect(writer.write(bytes(10, 9))).toBeUndefined();
    await writer.finish();
    await handle.close();
    expect(await readFile(file.path)).toEqual(Buffer.concat([a, b, c, d, e, bytes(10, 9)]));
  });

  it('takes a chunk larger than the room left while a flush is on its way, and keeps its bytes if the caller reuses it', async () => {
    const file = await heldFile();
    const writer = new BufferedFileWriter(file.handle, 0, writeBufferPool(1000));
    const head = [bytes(600, 1), bytes(500, 2)] as const;
    expect(writer.write(head[0])).toBeUndefined();
    // The first buffer flushes (held), 100 in the second: room for 900, more than 500.
    expect(writer.write(head[1])).toBeUndefined();
    // 950 do not fit: 900 are taken, the rest waits for the flush.
    const reused = bytes(950, 3);
    const expected = Buffer.concat([...head, reused]);
    const wait = writer.write(reused);
    expect(wait).toBeInstanceOf(Promise);
    reused.fill(0);
    const handle = await file.open();
    await wait;
    await writer.finish();
    await handle.close();
    expect(await readFile(file.path)).toEqual(expected);
  });
});
