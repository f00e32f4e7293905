import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PARTIAL_DIR } from '../storage/disk-storage';
import {
  BASE,
  BOUNDARY,
  eventually,
  multipart,
  type Part,
  partHead,
  rawExchange,
  send,
  startServer,
  type TestServer,
  upload,
  uploadHead,
} from '../test-support/handler-test-kit';

// A request of many small files: each file is closed and its metadata written aside in
// `.partial/` as its part ends, while the rest streams in; the commit only renames. Nothing
// of it may show before the answer, and an abort or a refusal at any point leaves nothing.

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

const limits = { files: 1000, parts: 1100 };

const small = (i: number): Part => ({
  name: 'file',
  filename: `f${i}.bin`,
  type: 'application/octet-stream',
  data: Buffer.alloc(1000 + i, i % 251),
});

/** Nothing but the (empty) partial folder. */
async function expectEmpty(): Promise<void> {
  const empty = await eventually(async () => {
    const listing = await server.snapshot();
    return listing.length === 1 && listing[0] === `${PARTIAL_DIR}/`;
  });
  expect(await server.snapshot()).toEqual([`${PARTIAL_DIR}/`]);
  expect(empty).toBe(true);
}

describe('many files in one request', () => {
  it('a client that leaves after 200 finished files, mid-way through the next, leaves nothing', async () => {
    server = await startServer({ limits });
    const files = Array.from({ length: 200 }, (_, i) => small(i));
    const done = multipart(files).subarray(0, -`--${BOUNDARY}--\r\n`.length);
    const head = uploadHead([`Content-Length: ${done.length + 100_000}`]);
    await rawExchange(server, head, async (socket) => {
      socket.write(done);
      socket.write(partHead(small(200)));
      socket.write(Buffer.alloc(500, 1));
      // Until the finished files' metadata is written aside: the abort has that to undo too.
      const aside = await eventually(async () =>
        (await server.snapshot()).some(
          (p) => p.startsWith(`${PARTIAL_DIR}/`) && p.endsWith('.json'),
        ),
      );
      expect(aside).toBe(true);
      expect((await server.snapshot()).some((p) => !p.startsWith(`${PARTIAL_DIR}/`))).toBe(false);
      socket.destroy();
    });
    await expectEmpty();
  });

  it('a refusal of the last of many files leaves nothing of the others', async () => {
    server = await startServer({
      limits,
      rules: { validate: (file) => (file.name === 'f99.bin' ? 'not this one' : null) },
    });
    const res = await upload(
      server,
      Array.from({ length: 100 }, (_, i) => small(i)),
    );
    expect(res.status).toBe(422);
    await expectEmpty();
  });

  it('keeps a field sent after the files in every file, and serves each file with its metadata', async () => {
    server = await startServer({ limits });
    const files = Array.from({ length: 50 }, (_, i) => small(i));
    const res = await upload(server, [
      { name: 'album', data: 'first' },
      ...files,
      { name: 'late', data: 'after the files' },
    ]);
    expect(res.status).toBe(201);
    const stored = (res.json().files ?? []) as { id: string }[];
    expect(stored).toHaveLength(50);
    const fields = { album: 'first', late: 'after the files' };
    for (const [i, file] of stored.entries()) {
      const meta = JSON.parse(await readFile(join(server.dir, `${file.id}.json`), 'utf8'));
      expect(meta).toMatchObject({ id: file.id, name: `f${i}.bin`, size: 1000 + i, fields });
    }
    const last = stored[49];
    const got = await send(server, `${BASE}/${last?.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(files[49]?.data);
    expect((await server.snapshot()).filter((p) => p.startsWith(`${PARTIAL_DIR}/`))).toEqual([
      `${PARTIAL_DIR}/`,
    ]);
  });
});
