import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadError } from './errors';
import {
  BASE,
  BOUNDARY,
  eventually,
  MULTIPART_TYPE,
  multipart,
  type Part,
  partHead,
  rawExchange,
  type StartOptions,
  send,
  startServer,
  type TestServer,
  upload,
  uploadHead,
} from './handler-test-kit';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: TestServer;
let before: string[];
let okPart: Part = { name: 'file', filename: 'ok.txt', type: 'text/plain', data: 'ok' };

async function setup(options: StartOptions = {}, ok: Part = okPart): Promise<void> {
  okPart = ok;
  server = await startServer(options);
  // One accepted upload first, so the listing compared later is not empty and .partial exists.
  const warm = await upload(server, [okPart]);
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
  const next = await upload(server, [okPart]);
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

const MiB = 1024 * 1024;

/**
 * Streams a multipart body of `total` file bytes with chunked encoding, stopping as soon as
 * an answer arrives. Resolves with the answer and how much the client had sent by then.
 */
function streamUpload(
  total: number,
  headers: Record<string, string | number> = { 'Transfer-Encoding': 'chunked' },
): Promise<{ status: number; body: string; sentAtAnswer: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: `${BASE}/upload`,
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': MULTIPART_TYPE, ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      const sentAtAnswer = sent;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          sentAtAnswer,
        });
      });
      res.on('error', reject);
    });
    req.on('error', () => {
      if (!answered) reject(new Error('no answer before the connection closed'));
    });
    const chunk = Buffer.alloc(256 * 1024, 1);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end(`\r\n--${BOUNDARY}--\r\n`);
    };
    req.write(
      partHead({ name: 'file', filename: 'big.bin', type: 'application/octet-stream', data: '' }),
    );
    pump();
  });
}

describe('upload: limits', () => {
  it('a file over maxSize is cut off at the limit: 413 before the client has sent it, body not read', async () => {
    await setup({ rules: { maxSize: MiB } });
    const total = 50 * MiB;
    const answer = await streamUpload(total);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('file-too-large');
    expect(answer.sentAtAnswer).toBeLessThan(total);
    // The server read about the limit plus buffers, then closed: far from 50 MiB.
    const read = await eventually(async () => server.socketBytesRead.length >= 2);
    expect(read).toBe(true);
    expect(Math.max(...server.socketBytesRead)).toBeLessThan(12 * MiB);
    await expectUntouched();
  });

  it('a declared Content-Length beyond what the limits allow is 413 request-too-large at once', async () => {
    await setup({ rules: { maxSize: MiB } });
    const total = 50 * MiB;
    const answer = await streamUpload(total, { 'Content-Length': total + 1000 });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('request-too-large');
    expect(answer.sentAtAnswer).toBeLessThan(total);
    await expectUntouched();
  });

  it('a file of exactly maxSize is accepted; minSize is enforced with 422', async () => {
    await setup({ rules: { maxSize: 1000, minSize: 2 } });
    const exact = await upload(server, [
      { name: 'f', filename: 'exact.bin', data: Buffer.alloc(1000) },
    ]);
    expect(exact.status).toBe(201);
    await send(server, `${BASE}/${exact.json().files?.[0]?.id}`, { method: 'DELETE' });
    const over = await upload(server, [
      { name: 'f', filename: 'over.bin', data: Buffer.alloc(1001) },
    ]);
    expect(over.status).toBe(413);
    const small = await upload(server, [{ name: 'f', filename: 'small.bin', data: 'x' }]);
    expect(small.status).toBe(422);
    expect(small.json().error?.code).toBe('file-too-small');
    await expectUntouched();
  });

  it('too many files (limits.files) is 413 too-many-files, and none of them is kept', async () => {
    await setup({ limits: { files: 2 } });
    const res = await upload(server, [okPart, okPart, okPart]);
    expect(res.status).toBe(413);
    expect(res.json().error?.code).toBe('too-many-files');
    await expectUntouched();
  });

  it('rules.maxFiles also caps the files of one request', async () => {
    await setup({ rules: { maxFiles: 1 } });
    const res = await upload(server, [okPart, okPart]);
    expect(res.status).toBe(413);
    expect(res.json().error?.code).toBe('too-many-files');
    await expectUntouched();
  });

  it('too many fields, too many parts, and a field too long are 413 request-too-large', async () => {
    await setup({ limits: { fields: 2, parts: 4, fieldSize: 10 } });
    const fields = await upload(server, [
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
      { name: 'c', data: '3' },
      okPart,
    ]);
    expect(fields.status).toBe(413);
    expect(fields.json().error?.code).toBe('request-too-large');
    const parts = await upload(server, [{ name: 'a', data: '1' }, okPart, okPart, okPart, okPart]);
    expect(parts.status).toBe(413);
    expect(parts.json().error?.code).toBe('request-too-large');
    const long = await upload(server, [{ name: 'a', data: '12345678901' }, okPart]);
    expect(long.status).toBe(413);
    expect(long.json().error?.code).toBe('request-too-large');
    await expectUntouched();
  });

  it('all or nothing: when the second file is refused, the first is not kept', async () => {
    await setup({ rules: { accept: '.txt' } });
    const big = Buffer.alloc(2 * MiB, 3);
    const res = await upload(server, [
      { name: 'f', filename: 'first.txt', type: 'text/plain', data: big },
      { name: 'f', filename: 'second.exe', type: 'application/x-msdownload', data: 'MZ' },
    ]);
    expect(res.status).toBe(415);
    expect(res.json().error?.code).toBe('file-invalid-type');
    await expectUntouched();
  });

  it('a custom validate sees name, size and type after the bytes are in; its refusal is 422', async () => {
    const seen: unknown[] = [];
    await setup({
      rules: {
        validate: (file) => {
          seen.push({ ...file });
          return file.name.startsWith('bad') ? 'Names may not start with bad' : undefined;
        },
      },
    });
    const res = await upload(server, [
      okPart,
      { name: 'f', filename: 'bad.txt', type: 'text/plain', data: 'abc' },
    ]);
    expect(res.status).toBe(422);
    expect(res.json().error).toEqual({
      code: 'validation-failed',
      message: 'Names may not start with bad',
    });
    expect(seen).toContainEqual({ name: 'bad.txt', size: 3, type: 'text/plain' });
    await expectUntouched();
  });
});

describe('upload: clients that go away or stall', () => {
  const head = (length: number) => uploadHead([`Content-Length: ${length}`]);
  const firstPart = partHead({
    name: 'file',
    filename: 'gone.bin',
    type: 'application/octet-stream',
    data: '',
  });

  it.each(['start', 'middle', 'end'] as const)(
    'a client abort at the %s of a file leaves nothing',
    async (where) => {
      await setup();
      const fileBytes = 3 * MiB;
      const whole = firstPart.length + fileBytes + 100;
      await rawExchange(server, head(whole), async (socket) => {
        if (where === 'start') {
          socket.write(firstPart);
        } else {
          socket.write(firstPart);
          socket.write(Buffer.alloc(where === 'middle' ? fileBytes / 2 : fileBytes, 5));
          // Wait until the server holds a partial file, so the abort has something to undo.
          const partial = await eventually(async () =>
            (await server.snapshot()).some((p) => p.startsWith('.partial/') && p !== '.partial/'),
          );
          expect(partial).toBe(true);
        }
        await new Promise((r) => setTimeout(r, 50));
        socket.destroy();
      });
      await expectUntouched();
    },
  );

  it('a client that stops sending is answered 408 after the idle timeout, and nothing is kept', async () => {
    await setup({ limits: { idleTimeoutMs: 300 } });
    const started = Date.now();
    const exchange = await rawExchange(server, head(firstPart.length + MiB), async (socket) => {
      socket.write(firstPart);
      socket.write(Buffer.alloc(64 * 1024, 1));
      await once(socket, 'data');
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
    });
    expect(exchange.status).toBe(408);
    expect(exchange.response).toContain('"request-timeout"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expectUntouched();
  });
});
