import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadError } from './errors';
import {
  BASE,
  eventually,
  MULTIPART_TYPE,
  multipart,
  partHead,
  rawExchange,
  send,
  startServer,
  type TestServer,
  upload,
  uploadHead,
} from './handler-test-kit';
import type { HandlerOptions } from './handler-types';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: TestServer;
let before: string[];

async function setup(options: HandlerOptions<null> = {}): Promise<void> {
  server = await startServer(options);
  // One accepted upload first, so the listing compared later is not empty and .partial exists.
  const warm = await upload(server, [
    { name: 'file', filename: 'warm.txt', type: 'text/plain', data: 'warm' },
  ]);
  expect(warm.status).toBe(201);
  before = await server.snapshot();
}

/** The storage holds exactly what it held before, and the server still serves. */
async function expectUntouched(): Promise<void> {
  const same = await eventually(
    async () => JSON.stringify(await server.snapshot()) === JSON.stringify(before),
  );
  expect(await server.snapshot()).toEqual(before);
  expect(same).toBe(true);
  const next = await upload(server, [
    { name: 'file', filename: 'next.txt', type: 'text/plain', data: 'next' },
  ]);
  expect(next.status).toBe(201);
  const [file] = next.json().files ?? [];
  const del = await send(server, `${BASE}/${file?.id}`, { method: 'DELETE' });
  expect(del.status).toBe(204);
}

afterEach(async () => {
  await server?.close();
});

describe('upload: accepted', () => {
  beforeEach(() => setup());

  it('stores one file, answers 201 with its description, and serves it back', async () => {
    const data = 'hello, updown';
    const res = await upload(server, [
      { name: 'file', filename: 'hello.txt', type: 'text/plain', data },
    ]);
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body.fields).toEqual({});
    const [file] = body.files ?? [];
    expect(file).toMatchObject({
      name: 'hello.txt',
      size: data.length,
      type: 'text/plain',
      sha256: sha(data),
    });
    expect(file?.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(file?.url).toBe(`${BASE}/${file?.id}`);
    const got = await fetch(`${server.origin}${file?.url}`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe(data);
    const listing = await server.snapshot();
    expect(listing).toContain(String(file?.id));
    expect(listing).toContain(`${file?.id}.json`);
    expect(listing.filter((p) => p.startsWith('.partial/') && p !== '.partial/')).toEqual([]);
  });

  it('takes several files and text fields (a part without filename is a field) in one request', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const res = await upload(server, [
      { name: 'title', data: 'Holiday' },
      { name: 'file', filename: 'a.bin', type: 'application/octet-stream', data: big },
      { name: 'file', filename: 'b.txt', type: 'text/plain', data: 'bee' },
      { name: 'album', data: 'Été 2026' },
    ]);
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body.fields).toEqual({ title: 'Holiday', album: 'Été 2026' });
    expect(body.files?.map((f) => [f.name, f.size, f.sha256])).toEqual([
      ['a.bin', big.length, sha(big)],
      ['b.txt', 3, sha('bee')],
    ]);
    const back = Buffer.from(
      await (await fetch(`${server.origin}${body.files?.[0]?.url}`)).arrayBuffer(),
    );
    expect(back.equals(big)).toBe(true);
  });

  it('works with a real fetch + FormData client', async () => {
    const form = new FormData();
    form.append('note', 'x');
    form.append('file', new Blob(['from fetch'], { type: 'text/plain' }), 'fetch.txt');
    const res = await fetch(`${server.origin}${BASE}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      files: { name: string; size: number }[];
      fields: Record<string, string>;
    };
    expect(body.files[0]).toMatchObject({ name: 'fetch.txt', size: 10 });
    expect(body.fields).toEqual({ note: 'x' });
  });
});

describe('upload: malformed requests leave nothing and the server keeps serving', () => {
  beforeEach(() => setup());

  it('a truncated body is 400 malformed-request', async () => {
    const body = multipart([
      { name: 'file', filename: 't.txt', type: 'text/plain', data: 'x'.repeat(5000) },
    ]);
    const cut = body.subarray(0, body.length - 60);
    const res = await send(server, `${BASE}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': MULTIPART_TYPE, 'Content-Length': cut.length },
      body: cut,
    });
    expect(res.status).toBe(400);
    expect(res.json().error?.code).toBe('malformed-request');
    await expectUntouched();
  });

  it('a missing boundary is 400', async () => {
    const body = multipart([{ name: 'file', filename: 't.txt', data: 'x' }]);
    const res = await send(server, `${BASE}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data', 'Content-Length': body.length },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().error?.code).toBe('malformed-request');
    await expectUntouched();
  });

  it('a wrong boundary is 400', async () => {
    const body = multipart([{ name: 'file', filename: 't.txt', data: 'x' }], 'other-boundary');
    const res = await send(server, `${BASE}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': MULTIPART_TYPE, 'Content-Length': body.length },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().error?.code).toBe('malformed-request');
    await expectUntouched();
  });

  it.each([
    ['application/json', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['text/plain', 'hello'],
  ])('a %s body is 400 malformed-request', async (type, body) => {
    const res = await send(server, `${BASE}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().error).toEqual({
      code: 'malformed-request',
      message: 'Expected a multipart/form-data body',
    });
    await expectUntouched();
  });

  it('a request with fields but no file is 400', async () => {
    const res = await upload(server, [{ name: 'only', data: 'a field' }]);
    expect(res.status).toBe(400);
    await expectUntouched();
  });

  it('huge part headers are cut by the parser, never buffered without bound', async () => {
    const hugeName = 'n'.repeat(200 * 1024);
    const res = await upload(server, [
      { name: 'file', filename: `${hugeName}.txt`, type: 'text/plain', data: 'x' },
    ]);
    // Busboy keeps the first 16 KiB of part headers; the name is then capped at 255 bytes.
    expect(res.status).toBe(201);
    const [file] = res.json().files ?? [];
    expect(String(file?.name)).toMatch(/^n{255}$/);
    expect((await send(server, `${BASE}/${file?.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectUntouched();
  });

  it('request headers beyond Node’s limit are refused before the handler (431)', async () => {
    const res = await send(server, `${BASE}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': MULTIPART_TYPE, 'X-Big': 'b'.repeat(64 * 1024) },
      body: multipart([{ name: 'file', filename: 'a.txt', data: 'x' }]),
    }).catch(() => ({ status: 431 }));
    expect(res.status).toBe(431);
    await expectUntouched();
  });
});
