import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { rawRequest } from '../test-support/raw-http';
import { STORE_KITS, type StoreKit, storeKit } from '../test-support/store-kits';
import { patternBytes, sha256 } from './test-support/tus-test-kit';

// The tus 1.0.0 protocol (tus-resumable-upload-protocol, protocol.md), checked answer by answer
// with raw requests so every header is ours: the core protocol (HEAD, PATCH, OPTIONS,
// Tus-Resumable, X-HTTP-Method-Override), the extensions this server announces (creation,
// creation-defer-length, creation-with-upload, expiration, checksum, termination,
// concatenation), and hostile input: malformed numbers, bodies past the length, two PATCHes
// at once, a PATCH cut mid-body, hostile names and ids. On every adapter, on disk and in a
// bucket of s3rver.

const BASE = '/api/files';
const V = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...V, 'Content-Type': 'application/offset+octet-stream' };
const MAX = 64 * 1024;
/** An IMF-fixdate (RFC 9110 5.6.7), the preferred HTTP date. */
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** Numbers that are not the non-negative decimal integer the protocol asks for. */
const HOSTILE_NUMBERS = [
  '-1',
  '+0',
  '-0',
  '1.0',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '¹²',
  '',
  '1 2',
  '0, 0',
  '9007199254740992',
  '99999999999999999999',
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (node:http adds only Host and, with a body, its length). */
function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const expects = body && Object.keys(headers).some((h) => h.toLowerCase() === 'expect');
    const sent = expects ? { ...headers, 'Content-Length': String(body.length) } : headers;
    const req = request(url, { method, headers: sent, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (expects) {
      // Expect: 100-continue: the body only once the server asks for it.
      req.on('continue', () => req.end(Buffer.from(body)));
    } else if (body) {
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) {
        req.setHeader('Content-Length', body.length);
      }
      req.end(Buffer.from(body));
    } else req.end();
  });
}

function meta(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');
}

for (const [store, name] of STORE_KITS.flatMap((s) => ALL_ADAPTERS.map((a) => [s, a] as const))) {
  describe(`tus 1.0.0 audit through ${name} on ${store}`, () => {
    let kit: StoreKit;
    let app: RunningApp;
    let endpoint: string;
    let clock = 0;

    beforeAll(async () => {
      kit = storeKit(store, `tus-audit-${name}`);
      await kit.setup();
      app = await startApp(name, {
        basePath: BASE,
        options: {
          storage: await kit.storage('files'),
          limits: { fileSize: MAX, idleTimeoutMs: 2_000 },
          authorize: () => true,
          // A 5xx shows only its status here; its cause goes to the test's output.
          onError: (error: unknown) => console.error('tus audit: a 5xx answer', error),
          tus: { now: () => Date.now() + clock, lockTimeoutMs: 5_000 },
        },
      });
      endpoint = `${app.base}/tus`;
    });
    afterAll(async () => {
      await app.close();
      await kit.teardown();
    });

    const urlOf = (res: Answer) => new URL(String(res.headers.location), endpoint).href;
    const idOf = (url: string) => new URL(url).pathname.split('/').pop()!;

    async function create(length: number | null, headers: Record<string, string> = {}) {
      const res = await send(endpoint, 'POST', {
        ...V,
        ...(length === null ? { 'Upload-Defer-Length': '1' } : { 'Upload-Length': String(length) }),
        ...headers,
      });
      expect(res.status, res.body).toBe(201);
      return urlOf(res);
    }

    const head = (url: string) => send(url, 'HEAD', V);
    const patch = (url: string, offset: number | string, body: Uint8Array, extra = {}) =>
      send(url, 'PATCH', { ...OCTETS, 'Upload-Offset': String(offset), ...extra }, body);
    async function offsetOf(url: string) {
      const res = await head(url);
      expect([200, 204], `HEAD answered ${res.status}`).toContain(res.status);
      return res.headers['upload-offset'];
    }
    async function served(url: string): Promise<string | null> {
      const res = await fetch(`${app.base}/${idOf(url)}`);
      return res.status === 200 ? sha256(Buffer.from(await res.arrayBuffer())) : null;
    }

    describe('core: OPTIONS', () => {
      it('answers 204 with Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm', async () => {
        for (const target of [endpoint, `${endpoint}/${'a'.repeat(22)}`]) {
          const res = await send(target, 'OPTIONS');
          expect([200, 204]).toContain(res.status);
          expect(String(res.headers['tus-version']).split(',')).toContain('1.0.0');
          expect(String(res.headers['tus-extension']).split(',').sort()).toEqual(
            [
              'checksum',
              'concatenation',
              'creation',
              'creation-defer-length',
              'creation-with-upload',
              'expiration',
              'termination',
            ].sort(),
          );
          expect(res.headers['tus-max-size']).toBe(String(MAX));
          expect(String(res.headers['tus-checksum-algorithm']).split(',')).toContain('sha1');
          expect(res.headers['tus-resumable']).toBe('1.0.0');
        }
      });

      it('ignores the Tus-Resumable of an OPTIONS request, whatever it says', async () => {
        const res = await send(endpoint, 'OPTIONS', { 'Tus-Resumable': '0.2.2' });
        expect([200, 204]).toContain(res.status);
        expect(String(res.headers['tus-version']).split(',')).toContain('1.0.0');
      });
    });

    describe('core: Tus-Resumable', () => {
      it('answers 412 with Tus-Version to a request without it or with another version, and does nothing', async () => {
        const url = await create(10);
        const before = await kit.snapshot();
        for (const version of [undefined, '0.2.2', '1.0', '2.0.0']) {
          const v: Record<string, string> =
            version === undefined ? {} : { 'Tus-Resumable': version };
          const answers = [
            await send(endpoint, 'POST', { ...v, 'Upload-Length': '5' }),
            await send(url, 'HEAD', v),
            await send(
              url,
              'PATCH',
              { ...v, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
              Buffer.from('hello'),
            ),
            await send(url, 'DELETE', v),
          ];
          for (const res of answers) {
            expect(res.status, `Tus-Resumable: ${version}`).toBe(412);
            expect(String(res.headers['tus-version']).split(',')).toContain('1.0.0');
            expect(res.headers['tus-resumable']).toBe('1.0.0');
          }
        }
        expect(await kit.settledTo(before)).toEqual(before);
        expect(await offsetOf(url)).toBe('0');
      });
    });

    describe('core: HEAD', () => {
      it('says Upload-Offset (even 0), Upload-Length, Upload-Metadata as created, Cache-Control: no-store', async () => {
        const metadata = 'filename cmVwb3J0LnBkZg==,is_confidential';
        const url = await create(100, { 'Upload-Metadata': metadata });
        const res = await head(url);
        expect([200, 204]).toContain(res.status);
        expect(res.headers['upload-offset']).toBe('0');
        expect(res.headers['upload-length']).toBe('100');
        expect(res.headers['upload-defer-length']).toBeUndefined();
        expect(res.headers['upload-metadata']).toBe(metadata);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expect(res.headers['upload-concat']).toBeUndefined();
      });

      it('says Upload-Defer-Length: 1 and no Upload-Length while the length is deferred', async () => {
        const url = await create(null);
        const res = await head(url);
        expect(res.headers['upload-defer-length']).toBe('1');
        expect(res.headers['upload-length']).toBeUndefined();
        expect(res.headers['upload-offset']).toBe('0');
      });

      it('answers 404 without Upload-Offset for an unknown upload', async () => {
        const res = await head(`${endpoint}/${'x'.repeat(22)}`);
        expect(res.status).toBe(404);
        expect(res.headers['upload-offset']).toBeUndefined();
        expect(res.headers['tus-resumable']).toBe('1.0.0');
      });
    });

    describe('core: PATCH', () => {
      it('answers 204 with the new Upload-Offset and Upload-Expires as an RFC 9110 date', async () => {
        const url = await create(10);
        const res = await patch(url, 0, Buffer.from('hello'));
        expect(res.status).toBe(204);
        expect(res.headers['upload-offset']).toBe('5');
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expect(String(res.headers['upload-expires'])).toMatch(IMF_FIXDATE);
        expect(Date.parse(String(res.headers['upload-expires']))).toBeGreaterThan(Date.now());
        expect(await offsetOf(url)).toBe('5');
        const empty = await patch(url, 5, new Uint8Array());
        expect(empty.status).toBe(204);
        expect(empty.headers['upload-offset']).toBe('5');
      });

      it('answers 415 to a body that is not application/offset+octet-stream, storing nothing', async () => {
        const url = await create(10);
        for (const type of [
          undefined,
          'application/octet-stream',
          'text/plain',
          'multipart/form-data',
        ]) {
          const res = await send(
            url,
            'PATCH',
            { ...V, 'Upload-Offset': '0', ...(type ? { 'Content-Type': type } : {}) },
            Buffer.from('hello'),
          );
          expect(res.status, String(type)).toBe(415);
          expect(res.headers['tus-resumable']).toBe('1.0.0');
        }
        expect(await offsetOf(url)).toBe('0');
      });

      it('answers 409 with the current Upload-Offset when the offsets differ, storing nothing', async () => {
        const url = await create(10);
        expect((await patch(url, 0, Buffer.from('hel'))).status).toBe(204);
        for (const offset of [0, 2, 4, 10]) {
          const res = await patch(url, offset, Buffer.from('lo'));
          expect(res.status, `offset ${offset}`).toBe(409);
          expect(res.headers['upload-offset']).toBe('3');
        }
        expect(await offsetOf(url)).toBe('3');
      });

      it('answers 400 to a missing or malformed Upload-Offset, storing nothing', async () => {
        const url = await create(10);
        expect((await send(url, 'PATCH', OCTETS, Buffer.from('hello'))).status).toBe(400);
        for (const offset of HOSTILE_NUMBERS) {
          const res = await patch(url, offset, Buffer.from('hello'));
          expect(res.status, `Upload-Offset: ${JSON.stringify(offset)}`).toBe(400);
          expect(JSON.parse(res.body).error.code).toBe('malformed-request');
        }
        expect(await offsetOf(url)).toBe('0');
      });

      it('answers 404 to a PATCH of an unknown upload', async () => {
        const res = await patch(`${endpoint}/${'y'.repeat(22)}`, 0, Buffer.from('hello'));
        expect(res.status).toBe(404);
      });

      it('stores no byte past Upload-Length (413), with a length declared or chunked', async () => {
        const data = patternBytes(1000, 21);
        const url = await create(data.length);
        expect((await patch(url, 0, data.subarray(0, 600))).status).toBe(204);
        const extra = Buffer.concat([data.subarray(600), Buffer.from('EVIL')]);
        const declared = await patch(url, 600, extra);
        expect(declared.status).toBe(413);
        expect(await offsetOf(url)).toBe('600');
        const chunked = await send(
          url,
          'PATCH',
          { ...OCTETS, 'Upload-Offset': '600', 'Transfer-Encoding': 'chunked' },
          extra,
        );
        expect(chunked.status).toBe(413);
        expect(await offsetOf(url)).toBe('600');
        expect((await patch(url, 600, data.subarray(600))).status).toBe(204);
        expect(await served(url)).toBe(sha256(data));
      });

      it('keeps one of two PATCHes sent at once: the other is 409 or 423, the bytes intact', async () => {
        const first = patternBytes(3000, 22);
        const second = patternBytes(3000, 23);
        const url = await create(first.length);
        const path = new URL(url).pathname;
        const slow = rawRequest({
          port: app.port,
          head: [
            `PATCH ${path} HTTP/1.1`,
            'Host: 127.0.0.1',
            'Tus-Resumable: 1.0.0',
            'Content-Type: application/offset+octet-stream',
            'Upload-Offset: 0',
            `Content-Length: ${first.length}`,
          ].join('\r\n'),
          body: Array.from({ length: 10 }, (_, i) => first.subarray(i * 300, (i + 1) * 300)),
          pauseMs: 40,
        });
        await sleep(100);
        const racing = await patch(url, 0, second);
        const won = await slow;
        expect(won.status).toBe(204);
        expect(won.headers['upload-offset']).toBe(String(first.length));
        expect([409, 423]).toContain(racing.status);
        expect(await served(url)).toBe(sha256(first));
      });

      it('advances the offset only by what a PATCH cut mid-body stored, and resumes from it', async () => {
        const data = patternBytes(5000, 24);
        const url = await create(data.length);
        const path = new URL(url).pathname;
        await rawRequest({
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
          afterBody: 'destroy',
        });
        // HEAD waits for the cut PATCH to let go of the upload.
        const offset = Number(await offsetOf(url));
        expect(offset).toBeLessThanOrEqual(2000);
        const rest = await patch(url, offset, data.subarray(offset));
        expect(rest.status).toBe(204);
        expect(rest.headers['upload-offset']).toBe(String(data.length));
        expect(await served(url)).toBe(sha256(data));
      });
    });

    describe('X-HTTP-Method-Override', () => {
      it('is the method: a POST that says PATCH, HEAD or DELETE is one', async () => {
        const url = await create(5);
        const patched = await send(
          url,
          'POST',
          { ...OCTETS, 'Upload-Offset': '0', 'X-HTTP-Method-Override': 'PATCH' },
          Buffer.from('hel'),
        );
        expect(patched.status).toBe(204);
        expect(patched.headers['upload-offset']).toBe('3');
        const headed = await send(url, 'POST', { ...V, 'X-HTTP-Method-Override': 'HEAD' });
        expect([200, 204]).toContain(headed.status);
        expect(headed.headers['upload-offset']).toBe('3');
        const deleted = await send(url, 'POST', { ...V, 'X-HTTP-Method-Override': 'DELETE' });
        expect(deleted.status).toBe(204);
        expect((await head(url)).status).toBe(404);
      });
    });

    describe('creation', () => {
      it('answers 201 with a Location that resolves and Upload-Expires as an RFC 9110 date', async () => {
        const res = await send(endpoint, 'POST', { ...V, 'Upload-Length': '10' });
        expect(res.status).toBe(201);
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expect(String(res.headers['upload-expires'])).toMatch(IMF_FIXDATE);
        expect((await head(urlOf(res))).headers['upload-offset']).toBe('0');
      });

      it('answers 400 without Upload-Length nor Upload-Defer-Length, with both, or a defer other than 1', async () => {
        const before = await kit.snapshot();
        for (const headers of [
          {},
          { 'Upload-Length': '5', 'Upload-Defer-Length': '1' },
          { 'Upload-Defer-Length': '0' },
          { 'Upload-Defer-Length': 'true' },
          { 'Upload-Defer-Length': '2' },
        ] as Record<string, string>[]) {
          const res = await send(endpoint, 'POST', { ...V, ...headers });
          expect(res.status, JSON.stringify(headers)).toBe(400);
          expect(res.headers['tus-resumable']).toBe('1.0.0');
        }
        expect(await kit.settledTo(before)).toEqual(before);
      });

      it('answers 400 to a malformed Upload-Length, creating nothing', async () => {
        const before = await kit.snapshot();
        for (const length of HOSTILE_NUMBERS) {
          const res = await send(endpoint, 'POST', { ...V, 'Upload-Length': length });
          expect(res.status, `Upload-Length: ${JSON.stringify(length)}`).toBe(400);
        }
        expect(await kit.settledTo(before)).toEqual(before);
      });

      it('answers 413 to an Upload-Length over Tus-Max-Size, creating nothing', async () => {
        const before = await kit.snapshot();
        const res = await send(endpoint, 'POST', { ...V, 'Upload-Length': String(MAX + 1) });
        expect(res.status).toBe(413);
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expect(await kit.settledTo(before)).toEqual(before);
        expect((await send(endpoint, 'POST', { ...V, 'Upload-Length': String(MAX) })).status).toBe(
          201,
        );
      });

      it('takes Upload-Metadata keys with a value, an empty one, or none', async () => {
        const metadata = 'filename aGVsbG8udHh0,empty ,flag,note w6l0w6k=';
        const url = await create(5, { 'Upload-Metadata': metadata });
        const got = String((await head(url)).headers['upload-metadata']).split(',');
        expect(got).toContain('filename aGVsbG8udHh0');
        expect(got).toContain('flag');
        expect(got).toContain('note w6l0w6k=');
        expect(got.some((pair) => pair.trim() === 'empty')).toBe(true);
      });

      it('answers 400 to a malformed Upload-Metadata, creating nothing', async () => {
        const before = await kit.snapshot();
        for (const metadata of [
          'key a*b=',
          'ke y dmFs',
          'key dmFs extra',
          'key dmFs,key YQ==',
          ',',
          'a YQ==,,b Yg==',
          'clé YQ==',
          'key YQ=b',
          'key =YWJj',
          'key Y',
          'key YWJjZ',
        ]) {
          const res = await send(endpoint, 'POST', {
            ...V,
            'Upload-Length': '5',
            'Upload-Metadata': metadata,
          });
          expect(res.status, `Upload-Metadata: ${metadata}`).toBe(400);
        }
        expect(await kit.settledTo(before)).toEqual(before);
      });

      it('refuses a metadata value that is not UTF-8 (400), which HEAD could not say as sent', async () => {
        const before = await kit.snapshot();
        for (const bytes of [[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0x61, 0x80]]) {
          const value = Buffer.from(bytes).toString('base64');
          const res = await send(endpoint, 'POST', {
            ...V,
            'Upload-Length': '5',
            'Upload-Metadata': `filename YS50eHQ=,blob ${value}`,
          });
          expect(res.status, value).toBe(400);
        }
        expect(await kit.settledTo(before)).toEqual(before);
        // UTF-8, a BOM included, is said again as sent.
        const metadata = `note ${Buffer.from('\ufeffété 日本 🦁').toString('base64')}`;
        const url = await create(5, { 'Upload-Metadata': metadata });
        expect((await head(url)).headers['upload-metadata']).toBe(metadata);
      });

      it('stores a hostile filename under the random id, sanitized, and says the metadata as sent', async () => {
        for (const filename of [
          '../../../etc/passwd',
          '..\\..\\windows\\win.ini',
          '/abs/x.txt',
          'a"b;c=d.txt',
          '.htaccess',
        ]) {
          const metadata = meta({ filename });
          const res = await send(
            endpoint,
            'POST',
            { ...OCTETS, 'Upload-Length': '5', 'Upload-Metadata': metadata },
            Buffer.from('hello'),
          );
          expect(res.status, filename).toBe(201);
          const url = urlOf(res);
          expect(idOf(url)).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect((await head(url)).headers['upload-metadata']).toBe(metadata);
          const got = await fetch(`${app.base}/${idOf(url)}`);
          expect(got.status).toBe(200);
          expect(await got.text()).toBe('hello');
          const disposition = got.headers.get('content-disposition') ?? '';
          expect(disposition).toMatch(/^attachment/);
          expect(disposition).not.toMatch(/\.\.|[/\\]/);
        }
        // Nothing escaped the store: every key or file is below `files/`.
        for (const line of await kit.snapshot()) expect(line.startsWith('files')).toBe(true);
      });

      it('takes Upload-Length: 0 as an upload complete at creation', async () => {
        const url = await create(0);
        const res = await head(url);
        expect(res.headers['upload-offset']).toBe('0');
        expect(res.headers['upload-length']).toBe('0');
        expect(await served(url)).toBe(sha256(new Uint8Array()));
      });
    });

    describe('creation-defer-length', () => {
      it('takes the length in a later PATCH once, and refuses a change or a malformed one (400)', async () => {
        const data = patternBytes(800, 25);
        const url = await create(null);
        expect((await patch(url, 0, data.subarray(0, 300))).status).toBe(204);
        for (const length of HOSTILE_NUMBERS) {
          const res = await patch(url, 300, data.subarray(300, 400), { 'Upload-Length': length });
          expect(res.status, `Upload-Length: ${JSON.stringify(length)}`).toBe(400);
        }
        expect(await offsetOf(url)).toBe('300');
        const below = await patch(url, 300, new Uint8Array(), { 'Upload-Length': '200' });
        expect(below.status).toBe(400);
        const over = await patch(url, 300, new Uint8Array(), { 'Upload-Length': String(MAX + 1) });
        expect(over.status).toBe(413);
        const set = await patch(url, 300, data.subarray(300, 500), { 'Upload-Length': '800' });
        expect(set.status).toBe(204);
        expect((await head(url)).headers['upload-length']).toBe('800');
        const changed = await patch(url, 500, data.subarray(500), { 'Upload-Length': '900' });
        expect(changed.status).toBe(400);
        expect((await patch(url, 500, data.subarray(500))).status).toBe(204);
        expect(await served(url)).toBe(sha256(data));
      });
    });

    describe('creation-with-upload', () => {
      it('stores the first bytes and says their Upload-Offset in the 201', async () => {
        const data = patternBytes(1500, 26);
        const res = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': String(data.length) },
          data.subarray(0, 1000),
        );
        expect(res.status).toBe(201);
        expect(res.headers['upload-offset']).toBe('1000');
        const url = urlOf(res);
        expect(await offsetOf(url)).toBe('1000');
        expect((await patch(url, 1000, data.subarray(1000))).status).toBe(204);
        expect(await served(url)).toBe(sha256(data));
      });

      it('waits for the 100 Continue a client with Expect: 100-continue asks for', async () => {
        const res = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': '5', Expect: '100-continue' },
          Buffer.from('hello'),
        );
        expect(res.status).toBe(201);
        expect(res.headers['upload-offset']).toBe('5');
        expect(await served(urlOf(res))).toBe(sha256(Buffer.from('hello')));
      });

      it('answers 460 to a first body that does not match Upload-Checksum, creating nothing', async () => {
        const before = await kit.snapshot();
        const res = await send(
          endpoint,
          'POST',
          {
            ...OCTETS,
            'Upload-Length': '10',
            'Upload-Checksum': `sha1 ${createHash('sha1').update('world').digest('base64')}`,
          },
          Buffer.from('hello'),
        );
        expect(res.status).toBe(460);
        expect(await kit.settledTo(before)).toEqual(before);
      });

      it('refuses a body past Upload-Length (413), creating nothing', async () => {
        const before = await kit.snapshot();
        const res = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': '5' },
          Buffer.from('hello, world'),
        );
        expect(res.status).toBe(413);
        expect(await kit.settledTo(before)).toEqual(before);
      });
    });

    describe('expiration', () => {
      it('says Upload-Expires in the 201 of an upload that goes on, not of one complete at creation', async () => {
        const going = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': '10' },
          Buffer.from('hello'),
        );
        expect(going.status).toBe(201);
        expect(String(going.headers['upload-expires'])).toMatch(IMF_FIXDATE);
        const piece = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': '5', 'Upload-Concat': 'partial' },
          Buffer.from('hello'),
        );
        // A piece of a parallel upload waits for its final upload, and expires meanwhile.
        expect(String(piece.headers['upload-expires'])).toMatch(IMF_FIXDATE);
        const whole = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': '5' },
          Buffer.from('hello'),
        );
        expect(whole.status).toBe(201);
        expect(whole.headers['upload-offset']).toBe('5');
        expect(whole.headers['upload-expires']).toBeUndefined();
        const empty = await send(endpoint, 'POST', { ...V, 'Upload-Length': '0' });
        expect(empty.status).toBe(201);
        expect(empty.headers['upload-expires']).toBeUndefined();
        expect(await served(urlOf(whole))).toBe(sha256(Buffer.from('hello')));
      });

      it('answers 410 without Upload-Offset once an upload expired', async () => {
        const url = await create(10);
        clock = 25 * 60 * 60 * 1000;
        try {
          const res = await head(url);
          expect([404, 410]).toContain(res.status);
          expect(res.headers['upload-offset']).toBeUndefined();
          expect([404, 410]).toContain((await patch(url, 0, Buffer.from('a'))).status);
        } finally {
          clock = 0;
        }
      });
    });

    describe('checksum', () => {
      const digest = (algorithm: string, bytes: Uint8Array) =>
        `${algorithm} ${createHash(algorithm).update(bytes).digest('base64')}`;

      it('accepts a matching Upload-Checksum in sha1, sha256 and md5', async () => {
        const data = patternBytes(900, 27);
        const url = await create(data.length);
        for (const [i, algorithm] of ['sha1', 'sha256', 'md5'].entries()) {
          const chunk = data.subarray(i * 300, (i + 1) * 300);
          const res = await patch(url, i * 300, chunk, {
            'Upload-Checksum': digest(algorithm, chunk),
          });
          expect(res.status, algorithm).toBe(204);
        }
        expect(await served(url)).toBe(sha256(data));
      });

      it('answers 400 to an unsupported algorithm or a malformed header, 460 to a mismatch, storing nothing', async () => {
        const data = patternBytes(600, 28);
        const url = await create(data.length);
        expect((await patch(url, 0, data.subarray(0, 200))).status).toBe(204);
        const chunk = data.subarray(200, 400);
        const before = await kit.snapshot();
        for (const header of ['crc32 AAAAAA==', 'sha512 AAAA', 'sha1', 'sha1 !!!', 'sha1  ']) {
          const res = await patch(url, 200, chunk, { 'Upload-Checksum': header });
          expect(res.status, header).toBe(400);
        }
        const mismatch = await patch(url, 200, chunk, {
          'Upload-Checksum': digest('sha1', data.subarray(0, 200)),
        });
        expect(mismatch.status).toBe(460);
        expect(mismatch.headers['tus-resumable']).toBe('1.0.0');
        expect(await offsetOf(url)).toBe('200');
        expect(await kit.settledTo(before)).toEqual(before);
        const ok = await patch(url, 200, data.subarray(200), {
          'Upload-Checksum': digest('sha1', data.subarray(200)),
        });
        expect(ok.status).toBe(204);
        expect(await served(url)).toBe(sha256(data));
      });
    });

    describe('termination', () => {
      it('answers 204, then 404 or 410 to every request on the URL', async () => {
        const url = await create(10);
        expect((await patch(url, 0, Buffer.from('abc'))).status).toBe(204);
        const res = await send(url, 'DELETE', V);
        expect(res.status).toBe(204);
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expect([404, 410]).toContain((await head(url)).status);
        expect([404, 410]).toContain((await patch(url, 3, Buffer.from('d'))).status);
        expect([404, 410]).toContain((await send(url, 'DELETE', V)).status);
      });
    });

    describe('concatenation', () => {
      async function partial(bytes: Uint8Array): Promise<string> {
        const res = await send(
          endpoint,
          'POST',
          { ...OCTETS, 'Upload-Length': String(bytes.length), 'Upload-Concat': 'partial' },
          bytes,
        );
        expect(res.status).toBe(201);
        return urlOf(res);
      }

      it('says Upload-Concat: partial with Upload-Offset and Upload-Length in a partial HEAD', async () => {
        const url = await partial(Buffer.from('hello'));
        const res = await head(url);
        expect(res.headers['upload-concat']).toBe('partial');
        expect(res.headers['upload-offset']).toBe('5');
        expect(res.headers['upload-length']).toBe('5');
      });

      it('joins absolute and relative URLs in order; HEAD says Upload-Concat as received', async () => {
        const a = await partial(Buffer.from('hello'));
        const b = await partial(Buffer.from(' world'));
        const concat = `final;${a} ${new URL(b).pathname}`;
        const res = await send(endpoint, 'POST', { ...V, 'Upload-Concat': concat });
        expect(res.status).toBe(201);
        const url = urlOf(res);
        const got = await head(url);
        expect(got.headers['upload-offset']).toBe('11');
        expect(got.headers['upload-length']).toBe('11');
        expect(got.headers['upload-concat']).toBe(concat);
        expect(got.headers['cache-control']).toBe('no-store');
        expect(await served(url)).toBe(sha256(Buffer.from('hello world')));
        // A final upload takes no PATCH, at any offset.
        for (const offset of [0, 11]) {
          expect((await patch(url, offset, Buffer.from('!'))).status).toBe(403);
        }
      });

      it('answers 400 to a malformed Upload-Concat or one naming no complete partial upload', async () => {
        const done = await partial(Buffer.from('abc'));
        const unfinished = await send(endpoint, 'POST', {
          ...V,
          'Upload-Length': '10',
          'Upload-Concat': 'partial',
        });
        const plain = await create(3);
        const before = await kit.snapshot();
        for (const concat of [
          'PARTIAL',
          'final',
          'final;',
          'final; ',
          'finally;x',
          `final;${urlOf(unfinished)}`,
          `final;${plain}`,
          `final;${endpoint}/${'z'.repeat(22)}`,
          `final;${endpoint}/..%2F..%2Fetc`,
          `final;${done} ${endpoint}/%E0`,
        ]) {
          const res = await send(endpoint, 'POST', { ...V, 'Upload-Concat': concat });
          expect(res.status, `Upload-Concat: ${concat}`).toBe(400);
        }
        expect(await kit.settledTo(before)).toEqual(before);
      });
    });

    describe('hostile ids', () => {
      it('answers HEAD, PATCH and DELETE of a traversing or odd id 404 (or 400), touching nothing', async () => {
        await create(5);
        const before = await kit.snapshot();
        for (const id of [
          '..%2F..%2Fetc%2Fpasswd',
          '%2e%2e',
          '..%5C..%5Cwin.ini',
          'a%00b',
          '.partial',
          `${'a'.repeat(300)}`,
          '%E0%A4%A',
          'files.json',
        ]) {
          const url = `${endpoint}/${id}`;
          for (const res of [
            await head(url),
            await patch(url, 0, Buffer.from('x')),
            await send(url, 'DELETE', V),
          ]) {
            expect([400, 404], id).toContain(res.status);
            expect(res.headers['upload-offset']).toBeUndefined();
          }
        }
        expect(await kit.settledTo(before)).toEqual(before);
      });
    });
  });
}

for (const name of ALL_ADAPTERS) {
  describe(`tus 1.0.0 audit through ${name}: Tus-Max-Size`, () => {
    let kit: StoreKit;
    beforeAll(async () => {
      kit = storeKit('disk', `tus-audit-max-${name}`);
      await kit.setup();
    });
    afterAll(() => kit.teardown());

    it('is a non-negative integer, or absent when there is no limit', async () => {
      for (const [fileSize, said] of [
        [Number.POSITIVE_INFINITY, undefined],
        [1000.5, '1000'],
      ] as const) {
        const app = await startApp(name, {
          basePath: BASE,
          options: { storage: await kit.storage(`files-${fileSize}`), limits: { fileSize } },
        });
        try {
          const res = await send(`${app.base}/tus`, 'OPTIONS');
          expect(res.status).toBe(204);
          expect(res.headers['tus-max-size'], `fileSize ${fileSize}`).toBe(said);
          const created = await send(`${app.base}/tus`, 'POST', { ...V, 'Upload-Length': '1000' });
          expect(created.status).toBe(201);
        } finally {
          await app.close();
        }
      }
    });
  });
}
