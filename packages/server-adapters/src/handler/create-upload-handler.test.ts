import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/storage';
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
} from '../test-support/handler-test-kit';
import { HandlerError } from './errors';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: TestServer;
let before: string[];
const OK_TEXT: Part = { name: 'file', filename: 'ok.txt', type: 'text/plain', data: 'ok' };
let okPart: Part = OK_TEXT;

async function setup(options: StartOptions = {}, ok: Part = OK_TEXT): Promise<void> {
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

  it('huge part headers are refused with 400, never cut or buffered without bound', async () => {
    const hugeName = 'n'.repeat(200 * 1024);
    const res = await upload(server, [
      { name: 'file', filename: `${hugeName}.txt`, type: 'text/plain', data: 'x' },
    ]);
    // Past 16 KiB of part headers busboy would keep a cut name without its extension.
    expect(res.status).toBe(400);
    expect(res.json().error?.code).toBe('malformed-request');
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

describe('upload: hostile and foreign filenames', () => {
  beforeEach(() => setup());

  async function storedName(rawFilename: string): Promise<string> {
    const res = await upload(server, [
      { name: 'file', rawFilename, type: 'text/plain', data: 'n' },
    ]);
    expect(res.status).toBe(201);
    const [file] = res.json().files ?? [];
    const listing = await server.snapshot();
    // Stored under its random id only: the name never reaches the filesystem.
    expect(listing).toContain(String(file?.id));
    expect(listing.every((p) => p === '.partial/' || /^[A-Za-z0-9_-]+(\.json)?$/.test(p))).toBe(
      true,
    );
    expect((await send(server, `${BASE}/${file?.id}`, { method: 'DELETE' })).status).toBe(204);
    return String(file?.name);
  }

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\\\..\\\\windows\\\\win.ini', 'win.ini'],
    ['..', 'file'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['LPT1.log', '_LPT1.log'],
    ['a\u0001b\u007f.txt', 'ab.txt'],
    ['trailing. . .', 'trailing'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
  ])('%j is stored as %j', async (raw, expected) => {
    expect(await storedName(raw)).toBe(expected);
    await expectUntouched();
  });

  it('a NUL byte in the filename does not survive', async () => {
    const name = await storedName('a\u0000b.txt');
    expect(name).not.toContain('\u0000');
    expect(name.endsWith('.txt')).toBe(true);
    await expectUntouched();
  });

  it('a non-ASCII name round-trips through Content-Disposition filename*', async () => {
    const original = 'résumé 日本語 ✓.pdf';
    const res = await upload(server, [
      { name: 'file', rawFilename: original, type: 'application/pdf', data: '%PDF' },
    ]);
    expect(res.status).toBe(201);
    const [file] = res.json().files ?? [];
    expect(file?.name).toBe(original);
    const got = await fetch(`${server.origin}${file?.url}`);
    const disposition = got.headers.get('content-disposition') ?? '';
    expect(disposition.startsWith('attachment;')).toBe(true);
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(star)).toBe(original);
    // The plain filename= fallback is ASCII only, as RFC 6266 appendix D advises.
    expect(/filename="([^"]*)"/.exec(disposition)?.[1]).toBe('r_sum_ ___ _.pdf');
    await got.arrayBuffer();
  });
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG_HEAD = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
]);

describe('upload: sniff', () => {
  const png: Part = { name: 'file', filename: 'dot.png', type: 'image/png', data: PNG };

  it('with sniff, a .png that is really text is 415 and not kept', async () => {
    await setup({ sniff: true, rules: { accept: 'image/*' } }, png);
    const res = await upload(server, [
      { name: 'file', filename: 'fake.png', type: 'image/png', data: 'just some text, no picture' },
    ]);
    expect(res.status).toBe(415);
    expect(res.json().error?.code).toBe('file-invalid-type');
    await expectUntouched();
  });

  it('with sniff, a JPEG declared as PNG is refused when only PNG is accepted', async () => {
    await setup({ sniff: true, rules: { accept: { 'image/png': ['.png'] } } }, png);
    const res = await upload(server, [
      {
        name: 'file',
        filename: 'photo.png',
        type: 'image/png',
        data: Buffer.concat([JPEG_HEAD, Buffer.alloc(5000)]),
      },
    ]);
    expect(res.status).toBe(415);
    await expectUntouched();
  });

  it('with sniff, a real PNG is stored with the sniffed type; text is fine when text is accepted', async () => {
    await setup({ sniff: true }, png);
    const res = await upload(server, [
      { ...png, type: 'application/octet-stream', filename: 'noext' },
    ]);
    expect(res.status).toBe(201);
    expect(res.json().files?.[0]?.type).toBe('image/png');
    const text = await upload(server, [
      { name: 'file', filename: 'notes.txt', type: 'text/plain', data: 'hello' },
    ]);
    expect(text.status).toBe(201);
    expect(text.json().files?.[0]?.type).toBe('text/plain');
  });

  it('without sniff, the declared type is trusted (the same fake is accepted)', async () => {
    await setup({ rules: { accept: 'image/*' } }, png);
    const res = await upload(server, [
      { name: 'file', filename: 'fake.png', type: 'image/png', data: 'text' },
    ]);
    expect(res.status).toBe(201);
  });
});

describe('authorize, onUploaded and errors', () => {
  function countingStorage(counts: { begin: number; stat: number; delete: number }) {
    return (s: Storage): Storage => ({
      ...s,
      begin: (id) => {
        counts.begin++;
        return s.begin(id);
      },
      stat: (id) => {
        counts.stat++;
        return s.stat(id);
      },
      delete: (id) => {
        counts.delete++;
        return s.delete(id);
      },
      createReadStream: (id, range) => s.createReadStream(id, range),
    });
  }

  it('false is 403, a plain throw is 401, a HandlerError is kept; no byte is stored or read first', async () => {
    const counts = { begin: 0, stat: 0, delete: 0 };
    const calls: { operation: string; id?: string }[] = [];
    await setup({
      wrapStorage: countingStorage(counts),
      authorize: ({ req, operation, id }) => {
        calls.push({ operation, ...(id ? { id } : {}) });
        const who = req.headers['x-who'];
        if (who === 'stranger') throw new Error('jwt malformed at /srv/app/secret.ts:12');
        if (who === 'broke')
          throw new HandlerError('quota-exceeded', 'Storage quota exceeded', { status: 507 });
        return who !== 'guest';
      },
    });
    const id = String((await upload(server, [okPart])).json().files?.[0]?.id);
    const start = { ...counts };

    for (const [who, status, code] of [
      ['guest', 403, 'forbidden'],
      ['stranger', 401, 'unauthorized'],
      ['broke', 507, 'quota-exceeded'],
    ] as const) {
      const up = await upload(server, [okPart], { 'X-Who': who });
      expect(up.status).toBe(status);
      expect(up.json().error?.code).toBe(code);
      expect(up.body.toString()).not.toContain('secret');
      const get = await send(server, `${BASE}/${id}`, { headers: { 'X-Who': who } });
      expect(get.status).toBe(status);
      const del = await send(server, `${BASE}/${id}`, {
        method: 'DELETE',
        headers: { 'X-Who': who },
      });
      expect(del.status).toBe(status);
    }
    // Only the file's metadata was read, for ctx.file: 3 downloads and 3 deletes.
    expect(counts).toEqual({ ...start, stat: start.stat + 6 });
    expect(calls).toContainEqual({ operation: 'download', id });
    expect(calls).toContainEqual({ operation: 'delete', id });
    expect(calls).toContainEqual({ operation: 'upload' });
    before = await server.snapshot();
    await expectUntouched();
  });

  it('a refused upload is answered before its large body is read', async () => {
    await setup({ authorize: ({ req }) => req.headers['x-who'] !== 'guest' });
    const answer = await new Promise<{ status: number }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        path: `${BASE}/upload`,
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': MULTIPART_TYPE,
          'Transfer-Encoding': 'chunked',
          'X-Who': 'guest',
        },
      });
      req.on('response', (res) => {
        res.resume();
        req.destroy();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on('error', () => {});
      req.write(partHead(okPart));
      const chunk = Buffer.alloc(256 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 40 * MiB) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        reject(new Error('the whole body was sent before any answer'));
      };
      pump();
    });
    expect(answer.status).toBe(403);
    await expectUntouched();
  });

  it('onUploaded runs after commit; when it throws, the request’s files are removed', async () => {
    const seen: string[] = [];
    await setup({
      onUploaded: async (file) => {
        const meta = await server.handler.storage.stat(file.id);
        seen.push(`${file.name}:${meta ? 'committed' : 'missing'}`);
        if (file.name === 'reject-me.txt')
          throw new HandlerError('validation-failed', 'Virus found');
      },
    });
    expect(seen).toEqual(['ok.txt:committed']);
    const res = await upload(server, [okPart, { ...okPart, filename: 'reject-me.txt' }]);
    expect(res.status).toBe(422);
    expect(res.json().error).toEqual({ code: 'validation-failed', message: 'Virus found' });
    expect(seen.slice(1)).toEqual(['ok.txt:committed', 'reject-me.txt:committed']);
    await expectUntouched();
  });

  it('a storage failure is 500 storage-error with a generic message: no path, no stack', async () => {
    await setup({
      wrapStorage: (s) => ({
        ...s,
        begin: async (id) => {
          if (id && process.env.UPDOWN_BREAK === '1') {
            throw new Error("EACCES: permission denied, open '/srv/secret/uploads/.partial/x'");
          }
          return s.begin(id);
        },
      }),
    });
    process.env.UPDOWN_BREAK = '1';
    try {
      const res = await upload(server, [okPart]);
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'storage-error', message: 'The file could not be stored' },
      });
    } finally {
      delete process.env.UPDOWN_BREAK;
    }
    await expectUntouched();
  });
});

describe('routes and ids', () => {
  beforeEach(() => setup());

  it.each([
    ['GET', '/AAAAAAAAAAAAAAAAAAAAAA'],
    ['HEAD', '/AAAAAAAAAAAAAAAAAAAAAA'],
    ['DELETE', '/AAAAAAAAAAAAAAAAAAAAAA'],
    ['GET', '/..%2F..%2Fetc%2Fpasswd'],
    ['GET', '/%2e%2e'],
    ['DELETE', '/..%2F.partial'],
    ['GET', '/.partial'],
    ['GET', '/x.json'],
  ])('%s %s is 404 not-found', async (method, path) => {
    const res = await send(server, `${BASE}${path}`, { method });
    expect(res.status).toBe(404);
    expect(res.headers['x-not-handled']).toBeUndefined();
    if (method !== 'HEAD') expect(res.json().error?.code).toBe('not-found');
    await expectUntouched();
  });

  it('a stored file’s metadata is not served as a file', async () => {
    const id = String((await upload(server, [okPart])).json().files?.[0]?.id);
    expect((await send(server, `${BASE}/${id}.json`)).status).toBe(404);
  });

  it('serves the tus routes (tested in tus/): OPTIONS /tus answers with Tus-Version', async () => {
    const res = await send(server, `${BASE}/tus`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers['tus-version']).toBe('1.0.0');
  });

  it.each([
    ['HEAD', '/tus/%E0', {}],
    ['PATCH', '/tus/%E0', { 'Content-Type': 'application/offset+octet-stream' }],
    ['DELETE', '/tus/abc%', {}],
    ['POST', '/tus', { 'Upload-Concat': `final;${BASE}/tus/%E0` }],
  ])(
    '%s %s with a malformed percent escape is 400 malformed-request',
    async (method, path, headers: Record<string, string>) => {
      const res = await send(server, `${BASE}${path}`, {
        method,
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': 0, ...headers },
      });
      expect(res.status).toBe(400);
      expect(res.headers['x-not-handled']).toBeUndefined();
      if (method !== 'HEAD') expect(res.json().error?.code).toBe('malformed-request');
      await expectUntouched();
    },
  );

  it.each([
    ['PATCH', '/tus/abc/def'],
    ['GET', '/a/b'],
    ['PUT', '/upload'],
    ['POST', '/elsewhere'],
  ])('%s %s is not the handler’s: it resolves false', async (method, path) => {
    const res = await send(server, `${BASE}${path}`, { method });
    expect(res.status).toBe(404);
    expect(res.headers['x-not-handled']).toBe('1');
  });

  it('DELETE removes a file: 204, then 404', async () => {
    const id = String((await upload(server, [okPart])).json().files?.[0]?.id);
    expect((await send(server, `${BASE}/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await send(server, `${BASE}/${id}`)).status).toBe(404);
    expect((await send(server, `${BASE}/${id}`, { method: 'DELETE' })).status).toBe(404);
    await expectUntouched();
  });

  it('serves ?disposition=inline, and a bad Range is 416 with the size', async () => {
    const id = String((await upload(server, [okPart])).json().files?.[0]?.id);
    const inline = await send(server, `${BASE}/${id}?disposition=inline`);
    expect(inline.headers['content-disposition']).toBe('inline; filename="ok.txt"');
    const bad = await send(server, `${BASE}/${id}`, { headers: { Range: 'bytes=500-600' } });
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe('bytes */2');
  });
});
