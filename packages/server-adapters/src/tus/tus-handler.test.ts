import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Locker } from '../handler/handler-types';
import { memoryStorage } from '../storage/memory-storage';
import {
  BASE,
  patternBytes,
  sha256,
  startTusServer,
  type TusTestServer,
  tempDir,
} from './test-support/tus-test-kit';

const H = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...H, 'Content-Type': 'application/offset+octet-stream' };
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(
  options: Parameters<typeof startTusServer>[0] = {},
): Promise<TusTestServer & { dir: string }> {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  const started = await startTusServer({ directory: temp.dir, ...options });
  cleanups.push(started.close);
  return { ...started, dir: temp.dir };
}

function meta(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

async function create(
  s: TusTestServer,
  length: number,
  extra: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(s.endpoint, {
    method: 'POST',
    headers: {
      ...H,
      'Upload-Length': String(length),
      'Upload-Metadata': meta({ filename: 'a.bin', filetype: 'application/octet-stream' }),
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location')!, s.origin).href;
}

function patch(url: string, offset: number, body: Uint8Array, extra: Record<string, string> = {}) {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...OCTETS, 'Upload-Offset': String(offset), ...extra },
    body: new Uint8Array(body),
  });
}

/**
 * A shared locker that grants at once and only reports when it is asked, which the handler
 * does once it holds the upload's in-process lock: `next(id)` resolves then. The 423s still
 * come from the in-process lock alone.
 */
function lockWatch(): { locker: Locker; next(id: string): Promise<void> } {
  const waiting = new Map<string, () => void>();
  return {
    locker: {
      async acquire(id) {
        waiting.get(id)?.();
        waiting.delete(id);
        return () => {};
      },
    },
    next: (id) => new Promise((resolve) => waiting.set(id, resolve)),
  };
}

function tusUpload(
  endpoint: string,
  data: Buffer,
  options: Partial<tus.UploadOptions> = {},
): Promise<tus.Upload> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint,
      chunkSize: 256 * 1024,
      retryDelays: [0, 50, 100, 200, 400, 800],
      metadata: { filename: 'interop.bin', filetype: 'application/octet-stream' },
      ...options,
      onSuccess: () => resolve(upload),
      onError: reject,
    });
    upload.start();
  });
}

describe('tus handler on node:http', () => {
  it('answers OPTIONS with the version, extensions, max size and checksum algorithms', async () => {
    const s = await server({ limits: { fileSize: 5_000_000 } });
    const res = await fetch(s.endpoint, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('tus-version')).toBe('1.0.0');
    expect(res.headers.get('tus-extension')?.split(',')).toEqual([
      'creation',
      'creation-with-upload',
      'creation-defer-length',
      'termination',
      'expiration',
      'checksum',
      'concatenation',
    ]);
    expect(res.headers.get('tus-max-size')).toBe('5000000');
    expect(res.headers.get('tus-checksum-algorithm')?.split(',')).toContain('sha1');
  });

  it('refuses a wrong or missing Tus-Resumable with 412 and Tus-Version', async () => {
    const s = await server();
    for (const headers of [{}, { 'Tus-Resumable': '0.2.2' }] as Record<string, string>[]) {
      const res = await fetch(s.endpoint, {
        method: 'POST',
        headers: { ...headers, 'Upload-Length': '3' },
      });
      expect(res.status).toBe(412);
      expect(res.headers.get('tus-version')).toBe('1.0.0');
      expect(await res.json()).toEqual({
        error: { code: 'unsupported-version', message: expect.any(String) },
      });
    }
  });

  it('creates, reports the offset by HEAD, appends, and publishes at GET /:id with the same id', async () => {
    const s = await server();
    const data = patternBytes(300_000, 7);
    const url = await create(s, data.length);
    const id = url.split('/').pop()!;
    expect(url).toBe(`${s.origin}${BASE}/tus/${id}`);

    let head = await fetch(url, { method: 'HEAD', headers: H });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('0');
    expect(head.headers.get('upload-length')).toBe(String(data.length));
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(head.headers.get('upload-expires')).toMatch(/GMT$/);

    const first = await patch(url, 0, data.subarray(0, 100_000));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe('100000');
    expect((await fetch(`${s.origin}${BASE}/${id}`)).status).toBe(404);

    const wrong = await patch(url, 5, data.subarray(5, 10));
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get('upload-offset')).toBe('100000');

    const last = await patch(url, 100_000, data.subarray(100_000));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(data.length));

    const got = await fetch(`${s.origin}${BASE}/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain('a.bin');
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    const stat = await s.storage.stat(id);
    expect(stat).toMatchObject({ id, name: 'a.bin', size: data.length, sha256: sha256(data) });
    // A finished upload still answers HEAD with its full offset; the partial is gone.
    head = await fetch(url, { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-offset')).toBe(String(data.length));
    expect((await readdir(join(s.dir, '.partial'))).filter((n) => n.startsWith(id))).toEqual([]);
  });

  it('refuses a PATCH of the wrong content type with 415 and an unknown id with 404', async () => {
    const s = await server();
    const url = await create(s, 10);
    const res = await fetch(url, {
      method: 'PATCH',
      headers: { ...H, 'Upload-Offset': '0', 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('unsupported-media-type');
    expect((await patch(`${s.endpoint}/nope`, 0, Buffer.from('x'))).status).toBe(404);
  });

  it('refuses Upload-Length over the limit at creation with 413, and checks type rules by metadata', async () => {
    const s = await server({ limits: { fileSize: 1000 }, rules: { accept: 'image/*' } });
    const big = await fetch(s.endpoint, {
      method: 'POST',
      headers: {
        ...H,
        'Upload-Length': '1001',
        'Upload-Metadata': meta({ filename: 'a.png', filetype: 'image/png' }),
      },
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('file-too-large');
    const text = await fetch(s.endpoint, {
      method: 'POST',
      headers: {
        ...H,
        'Upload-Length': '10',
        'Upload-Metadata': meta({ filename: 'a.txt', filetype: 'text/plain' }),
      },
    });
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('file-invalid-type');
    const bad = await fetch(s.endpoint, {
      method: 'POST',
      headers: { ...H, 'Upload-Length': '10', 'Upload-Metadata': 'filename %%%' },
    });
    expect(bad.status).toBe(400);
  });

  it('sanitizes the filename and keeps other metadata as fields', async () => {
    const s = await server();
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: {
        ...OCTETS,
        'Upload-Length': '3',
        'Upload-Metadata': meta({
          filename: '../../etc/pass\u202ewd',
          filetype: 'text/plain',
          album: 'été',
        }),
      },
      body: 'abc',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe('3');
    const id = res.headers.get('location')!.split('/').pop()!;
    const stat = await s.storage.stat(id);
    expect(stat?.name).not.toContain('/');
    expect(stat?.name).not.toContain('\u202e');
    expect(stat?.fields).toEqual({ album: 'été' });
  });

  it('verifies Upload-Checksum: 460 on a mismatch with the chunk dropped, accepted when it matches', async () => {
    const s = await server();
    const data = patternBytes(50_000, 3);
    const url = await create(s, data.length);
    const { createHash } = await import('node:crypto');
    const sha1 = (b: Uint8Array) => `sha1 ${createHash('sha1').update(b).digest('base64')}`;
    const bad = await patch(url, 0, data.subarray(0, 20_000), {
      'Upload-Checksum': sha1(data.subarray(1, 20_001)),
    });
    expect(bad.status).toBe(460);
    expect((await bad.json()).error.code).toBe('checksum-mismatch');
    const head = await fetch(url, { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-offset')).toBe('0');
    const unknown = await patch(url, 0, data, { 'Upload-Checksum': 'crc32 AAAA' });
    expect(unknown.status).toBe(400);
    const good = await patch(url, 0, data, { 'Upload-Checksum': sha1(data) });
    expect(good.status).toBe(204);
    const id = url.split('/').pop()!;
    expect((await s.storage.stat(id))?.sha256).toBe(sha256(data));
  });

  it('supports Upload-Defer-Length, the length given by a later PATCH', async () => {
    const s = await server();
    const data = patternBytes(10_000, 4);
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: { ...H, 'Upload-Defer-Length': '1' },
    });
    expect(res.status).toBe(201);
    const url = new URL(res.headers.get('location')!, s.origin).href;
    const head = await fetch(url, { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-defer-length')).toBe('1');
    expect((await patch(url, 0, data.subarray(0, 4000))).status).toBe(204);
    expect(
      (await patch(url, 4000, data.subarray(4000), { 'Upload-Length': String(data.length) }))
        .status,
    ).toBe(204);
    expect((await s.storage.stat(url.split('/').pop()!))?.sha256).toBe(sha256(data));
  });

  it('terminates with DELETE: 204 and the partial removed', async () => {
    // Termination needs an authorize that allows it.
    const s = await server({ authorize: () => true });
    const url = await create(s, 100);
    await patch(url, 0, Buffer.alloc(40));
    const res = await fetch(url, { method: 'DELETE', headers: H });
    expect(res.status).toBe(204);
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
    expect((await fetch(url, { method: 'HEAD', headers: H })).status).toBe(404);
  });

  it('honours X-HTTP-Method-Override', async () => {
    const s = await server();
    const url = await create(s, 5);
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...OCTETS, 'X-HTTP-Method-Override': 'PATCH', 'Upload-Offset': '0' },
      body: 'hello',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('upload-offset')).toBe('5');
  });

  it('runs authorize with operation tus-create and onUploaded with the stored file', async () => {
    const seen: string[] = [];
    const uploaded: unknown[] = [];
    const s = await server({
      authorize: (ctx) => {
        seen.push(`${ctx.operation}:${ctx.id ?? '-'}`);
        return ctx.req.headers.authorization === 'ok';
      },
      onUploaded: (file) => {
        uploaded.push(file);
      },
    });
    expect(
      (await fetch(s.endpoint, { method: 'POST', headers: { ...H, 'Upload-Length': '1' } })).status,
    ).toBe(403);
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: {
        ...OCTETS,
        authorization: 'ok',
        'Upload-Length': '2',
        'Upload-Metadata': meta({ filename: 'x.txt' }),
      },
      body: 'hi',
    });
    expect(res.status).toBe(201);
    const id = res.headers.get('location')!.split('/').pop()!;
    expect(seen).toEqual(['tus-create:-', 'tus-create:-']);
    expect(uploaded).toEqual([
      {
        id,
        name: 'x.txt',
        size: 2,
        type: 'application/octet-stream',
        sha256: sha256(Buffer.from('hi')),
        url: `${BASE}/${id}`,
      },
    ]);
  });

  it('serializes PATCH requests on one upload: they never interleave', async () => {
    const s = await server();
    const data = patternBytes(2_000_000, 9);
    const url = await create(s, data.length * 2);
    // Two PATCHes at offset 0 at once: one writes, the other waits and then finds the offset moved.
    const [a, b] = await Promise.all([patch(url, 0, data), patch(url, 0, data)]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const head = await fetch(url, { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-offset')).toBe(String(data.length));
  });

  it('expires stale uploads: Upload-Expires, 410 after it, and a sweep that removes partials', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const s = await server({ tus: { expirationMs: 60_000, now: () => clock } });
    const a = await create(s, 10);
    const b = await create(s, 10);
    const head = await fetch(a, { method: 'HEAD', headers: H });
    expect(Date.parse(head.headers.get('upload-expires')!)).toBe(clock + 60_000);
    clock += 30_000;
    expect((await patch(b, 0, Buffer.alloc(3))).status).toBe(204); // b's expiry slides
    clock += 40_000;
    expect(await s.tus.sweep()).toBe(1);
    expect((await fetch(a, { method: 'HEAD', headers: H })).status).toBe(404);
    expect((await fetch(b, { method: 'HEAD', headers: H })).status).toBe(200);
    clock += 60_000;
    expect((await fetch(b, { method: 'HEAD', headers: H })).status).toBe(410);
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('keeps offsets across a restart: a new handler over the same directory resumes', async () => {
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const data = patternBytes(700_000, 11);
    const first = await startTusServer({ directory: temp.dir });
    const url = await create(first, data.length);
    await patch(url, 0, data.subarray(0, 300_000));
    await first.close();
    const second = await startTusServer({ directory: temp.dir });
    cleanups.push(second.close);
    const moved = url.replace(first.origin, second.origin);
    const head = await fetch(moved, { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-offset')).toBe('300000');
    expect((await patch(moved, 300_000, data.subarray(300_000))).status).toBe(204);
    const id = url.split('/').pop()!;
    // The hash is recomputed from the file after a restart.
    expect((await second.storage.stat(id))?.sha256).toBe(sha256(data));
  });

  it('works over memoryStorage with partials in memory', async () => {
    const s = await server({ storage: memoryStorage() });
    const data = patternBytes(600_000, 5);
    const upload = await tusUpload(s.endpoint, data);
    const id = upload.url!.split('/').pop()!;
    const got = await fetch(`${s.origin}${BASE}/${id}`);
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
  });

  it('takes uploads from tus-js-client byte-exact (chunked, and creation-with-upload)', async () => {
    const s = await server();
    for (const [size, options] of [
      [1_234_567, {}],
      [100_000, { uploadDataDuringCreation: true, chunkSize: 1_000_000 }],
      [0, {}],
    ] as const) {
      const data = patternBytes(size, size + 1);
      const upload = await tusUpload(s.endpoint, data, options);
      const id = upload.url!.split('/').pop()!;
      const got = await fetch(`${s.origin}${BASE}/${id}`);
      expect(got.status).toBe(200);
      expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
      expect((await s.storage.stat(id))?.name).toBe('interop.bin');
    }
  });

  it('answers 423 when another PATCH holds the upload past the lock timeout', async () => {
    const watch = lockWatch();
    const s = await server({ tus: { lockTimeoutMs: 200, locker: watch.locker } });
    const url = await create(s, 1_000_000);
    const held = watch.next(url.split('/').pop()!);
    const { request } = await import('node:http');
    // A PATCH that sends a few bytes and then stalls, holding the lock.
    const stalled = request(url, {
      method: 'PATCH',
      headers: { ...OCTETS, 'Upload-Offset': '0', 'Content-Length': '1000000' },
    });
    stalled.on('error', () => {});
    stalled.write(Buffer.alloc(1000));
    // The server holds the lock now; a sleep here let a busy machine serve the second first.
    await held;
    const second = await patch(url, 0, Buffer.alloc(10));
    expect(second.status).toBe(423);
    expect((await second.json()).error.code).toBe('locked');
    stalled.destroy();
    // Once the stalled request is gone, the bytes it brought are kept and the lock is free.
    let head: Response;
    for (;;) {
      head = await fetch(url, { method: 'HEAD', headers: H });
      if (head.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(head.headers.get('upload-offset')).toBe('1000');
  });

  it('sniffs the content at publish when sniff is on: a text file claimed as PNG is refused', async () => {
    const s = await server({ sniff: true, rules: { accept: 'image/png' } });
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: {
        ...H,
        'Upload-Length': '11',
        'Upload-Metadata': meta({ filename: 'a.png', filetype: 'image/png' }),
      },
    });
    const url = new URL(res.headers.get('location')!, s.origin).href;
    const last = await patch(url, 0, Buffer.from('hello world'));
    expect(last.status).toBe(415);
    expect((await last.json()).error.code).toBe('file-invalid-type');
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
    expect(await readdir(s.dir)).toEqual(['.partial']);
  });

  it('removes the published file when onUploaded throws, and answers its error', async () => {
    const { HandlerError } = await import('../handler/errors');
    const s = await server({
      onUploaded: () => {
        throw new HandlerError('validation-failed', 'No thanks');
      },
    });
    const res = await fetch(s.endpoint, {
      method: 'POST',
      headers: { ...OCTETS, 'Upload-Length': '2', 'Upload-Metadata': meta({ filename: 'x.txt' }) },
      body: 'hi',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('validation-failed');
    expect(await readdir(s.dir)).toEqual(['.partial']);
  });

  it('takes our tusTransport with sha1 Upload-Checksum byte-exact', async () => {
    const { tusTransport, tusFetch, tusChecksum } = await import('@updown/core');
    const s = await server();
    const data = patternBytes(900_000, 31);
    const file = new File([new Uint8Array(data)], 'sum.bin', { type: 'application/octet-stream' });
    const result = await tusTransport({
      request: tusFetch(),
      endpoint: s.endpoint,
      chunkSize: 200_000,
      checksum: tusChecksum('sha1'),
    })(
      { id: 'c', file, name: file.name, size: file.size, type: file.type, attempt: 1 },
      { signal: new AbortController().signal, onProgress: () => {}, metadata: { album: 'x' } },
    );
    const stat = await s.storage.stat(result.id);
    expect(stat).toMatchObject({
      name: 'sum.bin',
      size: data.length,
      sha256: sha256(data),
      fields: { album: 'x' },
    });
  });

  it('takes parallel uploads from tus-js-client (concatenation), byte-exact', async () => {
    const s = await server();
    const data = patternBytes(3_000_001, 41);
    const upload = await tusUpload(s.endpoint, data, { parallelUploads: 3, chunkSize: 400_000 });
    const id = upload.url!.split('/').pop()!;
    const got = await fetch(`${s.origin}${BASE}/${id}`);
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    expect(await s.storage.stat(id)).toMatchObject({
      name: 'interop.bin',
      size: data.length,
      sha256: sha256(data),
    });
    // The partial uploads are gone once joined.
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('refuses a final upload naming an incomplete or unknown partial upload', async () => {
    const s = await server();
    const part = await fetch(s.endpoint, {
      method: 'POST',
      headers: { ...H, 'Upload-Length': '10', 'Upload-Concat': 'partial' },
    });
    const partUrl = part.headers.get('location')!;
    const head = await fetch(new URL(partUrl, s.origin), { method: 'HEAD', headers: H });
    expect(head.headers.get('upload-concat')).toBe('partial');
    for (const concat of [`final;${partUrl}`, `final;${BASE}/tus/unknown`, 'final;', 'whole']) {
      const res = await fetch(s.endpoint, {
        method: 'POST',
        headers: { ...H, 'Upload-Concat': concat },
      });
      expect(res.status, concat).toBe(400);
    }
  });

  it('joins the same pieces once when two final uploads name them at the same time', async () => {
    const s = await server();
    const pieces = [patternBytes(70_000, 61), patternBytes(30_001, 62)];
    const urls: string[] = [];
    for (const piece of pieces) {
      const url = await create(s, piece.length, { 'Upload-Concat': 'partial' });
      expect((await patch(url, 0, piece)).status).toBe(204);
      urls.push(new URL(url).pathname);
    }
    const final = () =>
      fetch(s.endpoint, {
        method: 'POST',
        headers: {
          ...H,
          'Upload-Concat': `final;${urls.join(' ')}`,
          'Upload-Metadata': meta({ filename: 'joined.bin' }),
        },
      });
    const answers = await Promise.all([final(), final()]);
    expect(answers.map((res) => res.status)).toEqual([201, 201]);
    const [first, second] = answers.map((res) => res.headers.get('location'));
    expect(second).toBe(first);
    expect(answers.map((res) => res.headers.get('upload-offset'))).toEqual(['100001', '100001']);
    const id = first!.split('/').pop()!;
    const got = await fetch(`${s.origin}${BASE}/${id}`);
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(Buffer.concat(pieces)));
    expect(await s.storage.list?.()).toHaveLength(1);
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('takes parallel uploads from our tusTransport, and resumes them after a pause', async () => {
    const { tusTransport, tusFetch } = await import('@updown/core');
    const { memoryUrlStore } = await import('@updown/core');
    const s = await server();
    const data = patternBytes(3_500_000, 43);
    const file = new File([new Uint8Array(data)], 'par.bin', { type: 'application/octet-stream' });
    const item = { id: 'p', file, name: file.name, size: file.size, type: file.type, attempt: 1 };
    const urlStore = memoryUrlStore();
    const transport = tusTransport({
      request: tusFetch(),
      endpoint: s.endpoint,
      chunkSize: 300_000,
      parallel: 3,
      urlStore,
    });
    const controller = new AbortController();
    const paused = transport(item, {
      signal: controller.signal,
      onProgress: (loaded) => {
        if (loaded > 1_200_000) controller.abort('pause');
      },
      metadata: {},
    });
    await expect(paused).rejects.toMatchObject({ name: 'AbortError' });
    const partials = (await readdir(join(s.dir, '.partial'))).filter((n) =>
      n.endsWith('.tus.json'),
    );
    expect(partials).toHaveLength(3);

    // A new transport (a reload) finds the three pieces by the fingerprint.
    const requests: string[] = [];
    const again = tusTransport({
      endpoint: s.endpoint,
      chunkSize: 300_000,
      parallel: 3,
      urlStore,
      request: tusFetch((input, init) => {
        const headers = new Headers(init?.headers);
        requests.push(`${init?.method} ${headers.get('upload-concat') ?? ''}`);
        return fetch(input, init);
      }),
    });
    const progress: number[] = [];
    const result = await again(item, {
      signal: new AbortController().signal,
      onProgress: (loaded) => progress.push(loaded),
      metadata: { album: 'a' },
    });
    // The pieces were found again by HEAD; the only creation is the final, joining one.
    expect(requests.filter((r) => r.startsWith('HEAD'))).toHaveLength(3);
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual([
      expect.stringMatching(/^POST final;/),
    ]);
    expect(Math.max(...progress)).toBe(data.length);
    expect(await s.storage.stat(result.id)).toMatchObject({
      name: 'par.bin',
      size: data.length,
      sha256: sha256(data),
      fields: { album: 'a' },
    });
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('answers a retried final upload whose first answer was lost with the same file', async () => {
    const { tusTransport, tusFetch } = await import('@updown/core');
    const s = await server();
    const data = patternBytes(1_000_003, 53);
    const file = new File([new Uint8Array(data)], 'lost.bin', { type: 'application/octet-stream' });
    const finals: number[] = [];
    const run = tusTransport({
      endpoint: s.endpoint,
      chunkSize: 200_000,
      parallel: 2,
      retryDelays: [0, 10],
      request: tusFetch(async (input, init) => {
        const joining = new Headers(init?.headers).get('upload-concat')?.startsWith('final;');
        const res = await fetch(input, init);
        if (!joining) return res;
        finals.push(res.status);
        // The server joined the pieces; the answer never reaches the client.
        if (finals.length === 1) throw new TypeError('fetch failed');
        return res;
      }),
    });
    const result = await run(
      { id: 'l', file, name: file.name, size: file.size, type: file.type, attempt: 1 },
      { signal: new AbortController().signal, onProgress: () => {}, metadata: {} },
    );
    expect(finals).toEqual([201, 201]);
    expect(await s.storage.stat(result.id)).toMatchObject({
      size: data.length,
      sha256: sha256(data),
    });
    const files = await s.storage.list?.();
    if (files) expect(files).toHaveLength(1);
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('terminates every piece of a parallel upload on cancel', async () => {
    const { tusTransport, tusFetch } = await import('@updown/core');
    // Termination needs an authorize that allows it.
    const s = await server({ authorize: () => true });
    const data = patternBytes(2_000_000, 47);
    const file = new File([new Uint8Array(data)], 'c.bin', { type: 'application/octet-stream' });
    const controller = new AbortController();
    const run = tusTransport({
      request: tusFetch(),
      endpoint: s.endpoint,
      chunkSize: 200_000,
      parallel: 2,
    })(
      { id: 'c', file, name: file.name, size: file.size, type: file.type, attempt: 1 },
      {
        signal: controller.signal,
        onProgress: (loaded) => {
          if (loaded > 500_000) controller.abort('cancel');
        },
        metadata: {},
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(join(s.dir, '.partial'))).toEqual([]);
  });

  it('sweeps expired uploads on the back of a creation, at most once per interval', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const s = await server({
      tus: { expirationMs: 1000, sweepIntervalMs: 5000, now: () => clock },
    });
    await create(s, 10);
    clock += 6000;
    await create(s, 10);
    for (let i = 0; i < 50; i++) {
      const left = (await readdir(join(s.dir, '.partial'))).filter((n) => n.endsWith('.tus.json'));
      if (left.length === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(
      (await readdir(join(s.dir, '.partial'))).filter((n) => n.endsWith('.tus.json')),
    ).toHaveLength(1);
  });
});
