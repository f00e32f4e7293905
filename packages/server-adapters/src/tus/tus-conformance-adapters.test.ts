import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { rawRequest } from '../test-support/raw-http';
import { STORE_KITS, type StoreKit, storeKit } from '../test-support/store-kits';
import { patternBytes, sha256 } from './test-support/tus-test-kit';

// tus 1.0 and the contract where the protocol leaves a choice (issue 11), through each
// adapter: finished uploads answer HEAD, PATCH and DELETE as the protocol says, an unknown
// method is 405, a concatenation may name a partial only once, a name or type that cannot
// be a header is refused at creation, a multipart file is no tus upload, and a stalled PATCH
// is answered 408 with its bytes kept. On disk and on a bucket (s3rver).

const ADAPTERS = ALL_ADAPTERS;
const BASE = '/api/files';
const H = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...H, 'Content-Type': 'application/offset+octet-stream' };
const IDLE_MS = 400;

function meta(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');
}

/** A request with any method, which `fetch` will not send (PUT works there; this is for all). */
function anyMethod(
  url: string,
  method: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: H }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const [store, name] of STORE_KITS.flatMap((s) => ADAPTERS.map((a) => [s, a] as const))) {
  describe(`tus conformance through ${name} on ${store}`, () => {
    let kit: StoreKit;
    let app: RunningApp;
    let endpoint: string;

    beforeAll(async () => {
      kit = storeKit(store, `tus-${name}`);
      await kit.setup();
      app = await startApp(name, {
        basePath: BASE,
        options: {
          storage: await kit.storage('files'),
          limits: { idleTimeoutMs: IDLE_MS },
          // Termination needs an authorize that allows it.
          authorize: () => true,
        },
      });
      endpoint = `${app.base}/tus`;
    });
    afterAll(async () => {
      await app.close();
      await kit.teardown();
    });

    async function create(
      length: number,
      headers: Record<string, string> = {},
      body?: Uint8Array,
    ): Promise<Response> {
      return fetch(endpoint, {
        method: 'POST',
        headers: {
          ...(body ? OCTETS : H),
          'Upload-Length': String(length),
          'Upload-Metadata': meta({ filename: 'a.bin', filetype: 'application/octet-stream' }),
          ...headers,
        },
        ...(body ? { body: new Uint8Array(body) } : {}),
      });
    }

    async function createdUrl(
      length: number,
      headers: Record<string, string> = {},
      body?: Uint8Array,
    ): Promise<string> {
      const res = await create(length, headers, body);
      expect(res.status).toBe(201);
      return new URL(res.headers.get('location')!, app.origin).href;
    }

    function patch(url: string, offset: number, body: Uint8Array = new Uint8Array()) {
      return fetch(url, {
        method: 'PATCH',
        headers: { ...OCTETS, 'Upload-Offset': String(offset) },
        body: new Uint8Array(body),
      });
    }

    const idOf = (url: string) => url.split('/').pop()!;

    it('HEAD of a finished upload carries its Upload-Metadata as created', async () => {
      const data = patternBytes(3000, 3);
      const metadata = meta({ filename: 'report.bin', filetype: 'image/png', note: 'été' });
      const url = await createdUrl(data.length, { 'Upload-Metadata': metadata }, data);
      const head = await fetch(url, { method: 'HEAD', headers: H });
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe(String(data.length));
      expect(head.headers.get('upload-length')).toBe(String(data.length));
      expect(head.headers.get('upload-metadata')).toBe(metadata);
      expect(head.headers.get('tus-resumable')).toBe('1.0.0');
    });

    it('HEAD of a finished final upload carries Upload-Concat: final with its partials', async () => {
      const a = patternBytes(1000, 4);
      const b = patternBytes(700, 5);
      const partA = await createdUrl(a.length, { 'Upload-Concat': 'partial' }, a);
      const partB = await createdUrl(b.length, { 'Upload-Concat': 'partial' }, b);
      const paths = [partA, partB].map((u) => new URL(u).pathname);
      const final = await fetch(endpoint, {
        method: 'POST',
        headers: {
          ...H,
          'Upload-Concat': `final;${paths.join(' ')}`,
          'Upload-Metadata': meta({ filename: 'joined.bin' }),
        },
      });
      expect(final.status).toBe(201);
      const url = new URL(final.headers.get('location')!, app.origin).href;
      const head = await fetch(url, { method: 'HEAD', headers: H });
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-concat')).toBe(`final;${paths.join(' ')}`);
      expect(head.headers.get('upload-length')).toBe(String(a.length + b.length));
      expect(head.headers.get('upload-metadata')).toBe(meta({ filename: 'joined.bin' }));

      // PATCH against a final upload is 403 (concatenation extension).
      const patched = await patch(url, a.length + b.length);
      expect(patched.status).toBe(403);
      expect(patched.headers.get('tus-resumable')).toBe('1.0.0');
    });

    it('PATCH on a finished upload: 204 when empty at the end, 413 past it, 409 elsewhere', async () => {
      const data = patternBytes(2048, 6);
      const url = await createdUrl(data.length, {}, data);
      const empty = await patch(url, data.length);
      expect(empty.status).toBe(204);
      expect(empty.headers.get('upload-offset')).toBe(String(data.length));
      expect(empty.headers.get('tus-resumable')).toBe('1.0.0');
      const past = await patch(url, data.length, Buffer.from('x'));
      expect(past.status).toBe(413);
      expect((await past.json()).error.code).toBe('request-too-large');
      const behind = await patch(url, 10, Buffer.from('x'));
      expect(behind.status).toBe(409);
      expect(behind.headers.get('upload-offset')).toBe(String(data.length));
      // The file is as it was.
      const got = await fetch(`${app.base}/${idOf(url)}`);
      expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    });

    it('termination of a finished upload is 204, and GET /:id no longer serves it', async () => {
      const data = patternBytes(900, 7);
      const url = await createdUrl(data.length, {}, data);
      expect((await fetch(`${app.base}/${idOf(url)}`)).status).toBe(200);
      const gone = await fetch(url, { method: 'DELETE', headers: H });
      expect(gone.status).toBe(204);
      expect(gone.headers.get('tus-resumable')).toBe('1.0.0');
      expect((await fetch(`${app.base}/${idOf(url)}`)).status).toBe(404);
      expect((await fetch(url, { method: 'HEAD', headers: H })).status).toBe(404);
      expect((await fetch(url, { method: 'DELETE', headers: H })).status).toBe(404);
    });

    it('every PATCH answer of an unfinished upload carries Upload-Expires', async () => {
      const url = await createdUrl(3000);
      const first = await patch(url, 0, patternBytes(1000, 8));
      expect(first.status).toBe(204);
      expect(Date.parse(first.headers.get('upload-expires') ?? '')).toBeGreaterThan(Date.now());
      const wrong = await patch(url, 5, patternBytes(10, 8));
      expect(wrong.status).toBe(409);
      expect(wrong.headers.get('upload-expires')).not.toBeNull();
      const last = await patch(url, 1000, patternBytes(2000, 9));
      expect(last.status).toBe(204);
      // Finished: it no longer expires.
      expect(last.headers.get('upload-expires')).toBeNull();
    });

    it('an unknown method on /tus and /tus/:id is 405 with Tus-Resumable and Allow', async () => {
      const url = await createdUrl(10);
      for (const [target, allow] of [
        [endpoint, 'OPTIONS, POST'],
        [url, 'OPTIONS, HEAD, PATCH, DELETE'],
      ] as const) {
        for (const method of ['PUT', 'GET']) {
          const res = await anyMethod(target, method);
          expect(res.status, `${method} ${target}`).toBe(405);
          expect(res.headers['tus-resumable']).toBe('1.0.0');
          expect(res.headers.allow).toBe(allow);
        }
      }
    });

    it('refuses a concatenation naming the same partial twice (400, nothing stored)', async () => {
      const part = await createdUrl(1000, { 'Upload-Concat': 'partial' }, patternBytes(1000, 10));
      const path = new URL(part).pathname;
      const before = await kit.snapshot();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { ...H, 'Upload-Concat': `final;${path} ${path} ${path}` },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('malformed-request');
      expect(await kit.settledTo(before)).toEqual(before);
      // The partial itself is untouched and can still be joined once.
      const once = await fetch(endpoint, {
        method: 'POST',
        headers: { ...H, 'Upload-Concat': `final;${path}` },
      });
      expect(once.status).toBe(201);
    });

    it('HEAD /tus/:id of a multipart file is 404, not its size; PATCH and DELETE too', async () => {
      const answer = await postMultipart(`${app.base}/upload`, [
        { name: 'file', filename: 'plain.bin', data: patternBytes(1234, 11) },
      ]);
      expect(answer.status).toBe(201);
      const url = `${endpoint}/${answer.body.files![0]!.id}`;
      const head = await fetch(url, { method: 'HEAD', headers: H });
      expect(head.status).toBe(404);
      expect(head.headers.get('upload-offset')).toBeNull();
      expect((await patch(url, 1234)).status).toBe(404);
      expect((await fetch(url, { method: 'DELETE', headers: H })).status).toBe(404);
      expect((await fetch(`${app.base}/${answer.body.files![0]!.id}`)).status).toBe(200);
    });

    it('refuses at creation a filetype or filename that cannot be a header (400)', async () => {
      const before = await kit.snapshot();
      for (const pairs of <Record<string, string>[]>[
        { filename: 'a.html', filetype: 'text/html\r\nX-Injected: 1' },
        { filename: 'a.txt', filetype: 'text/plain\n' },
        { filename: 'a.txt', filetype: 'text/pl\u0007ain' },
        { filename: 'a.txt', filetype: 'text/plain; name=日本' },
        { filename: 'a.txt', filetype: 'text/plain; x=é' },
        { filename: 'a\r\nb.txt', filetype: 'text/plain' },
        { filename: 'a\u0000.txt' },
      ]) {
        const res = await create(5, { 'Upload-Metadata': meta(pairs) }, Buffer.from('hello'));
        expect(res.status, JSON.stringify(pairs)).toBe(400);
        expect((await res.json()).error.code).toBe('malformed-request');
      }
      expect(await kit.settledTo(before)).toEqual(before);
      // A name outside Latin-1 is fine: downloads carry it as filename*.
      const ok = await create(
        5,
        { 'Upload-Metadata': meta({ filename: '日本.txt' }) },
        Buffer.from('hello'),
      );
      expect(ok.status).toBe(201);
      const id = idOf(ok.headers.get('location')!);
      const got = await fetch(`${app.base}/${id}`);
      expect(got.status).toBe(200);
      expect(await got.text()).toBe('hello');
    });

    it('answers a stalled PATCH 408 in JSON on its idle timeout and keeps what came', async () => {
      const data = patternBytes(5000, 12);
      const url = await createdUrl(data.length);
      const path = new URL(url).pathname;
      const res = await rawRequest({
        port: app.port,
        head: [
          `PATCH ${path} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Tus-Resumable: 1.0.0',
          'Content-Type: application/offset+octet-stream',
          'Upload-Offset: 0',
          `Content-Length: ${data.length}`,
        ].join('\r\n'),
        body: [data.subarray(0, 2000)],
        timeoutMs: IDLE_MS * 10,
      });
      expect(res.status).toBe(408);
      expect(res.headers['tus-resumable']).toBe('1.0.0');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body).error.code).toBe('request-timeout');
      expect(res.headers['upload-offset']).toBe('2000');
      const head = await fetch(url, { method: 'HEAD', headers: H });
      expect(head.headers.get('upload-offset')).toBe('2000');
      const rest = await patch(url, 2000, data.subarray(2000));
      expect(rest.status).toBe(204);
      const got = await fetch(`${app.base}/${idOf(url)}`);
      expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    });
  });
}
