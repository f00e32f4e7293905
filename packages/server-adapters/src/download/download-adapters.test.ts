import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { createFileId } from '../storage/file-id';
import { commitMeta, writeAll } from '../storage/test-support/storage-io';
import { ALL_ADAPTERS, type RunningApp, startApp, type TableOptions } from '../test-support/apps';
import { postMultipart, requestOnce } from '../test-support/client';
import { eventually } from '../test-support/handler-test-kit';
import {
  activePage,
  activeSvg,
  alteredStorage,
  openDescriptors,
  PNG,
  tusUpload,
} from './test-support/download-fixtures';

// Issue 11, downloads: what every adapter serves back, and how.

const ADAPTERS = ALL_ADAPTERS;
const CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

const get = requestOnce;

/** The descriptor count once closes in flight are done: the same on two looks 100 ms apart. */
async function settledDescriptors(): Promise<number> {
  let last = openDescriptors();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = openDescriptors();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** The descriptors this process holds on `path`, or on what was `path` before it was deleted. */
function descriptorsOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target === path || target === `${path} (deleted)`) count++;
    } catch {
      // Closed while listed.
    }
  }
  return count;
}

/**
 * A GET whose client reads the first chunk, stops reading, then leaves: the server is
 * mid-body (the file is larger than the socket buffers hold). Resolves with the status and
 * the bytes that came.
 */
function leaveMidBody(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; received: number }>((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.once('data', (chunk: Buffer) => {
        res.pause();
        setTimeout(() => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, received: chunk.length });
        }, 50);
      });
    });
    req.on('error', () => {});
    req.on('close', () => reject(new Error('closed before a byte came')));
    req.end();
  });
}

describe.each(ADAPTERS)('%s downloads', (name) => {
  let root: string;
  const apps: RunningApp[] = [];

  async function start(folder: string, options: TableOptions = {}): Promise<RunningApp> {
    const directory = join(root, folder);
    await mkdir(join(directory, PARTIAL_DIR), { recursive: true });
    const app = await startApp(name, {
      options: { storage: diskStorage({ directory }), ...options },
    });
    apps.push(app);
    return app;
  }

  async function upload(
    app: RunningApp,
    filename: string,
    type: string,
    data: Uint8Array | string,
  ): Promise<StoredFile> {
    const answer = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename, type, data },
    ]);
    expect(answer.status, filename).toBe(201);
    const file = answer.body.files?.[0];
    if (!file) throw new Error('no file in the answer');
    return file;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-dl-${name}-`));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await rm(root, { recursive: true, force: true });
  });

  it('serves no upload as active content: a sandboxing CSP, nosniff, and attachment for HTML, SVG, XHTML, XML and JS whatever ?disposition=inline says', async () => {
    const app = await start('active');
    const attacks = [
      await upload(app, 'x.html', 'text/html', activePage('/beacon')),
      await upload(app, 'innocent.png', 'text/html', activePage('/beacon')),
      await upload(app, 'evil.svg', 'image/svg+xml', activeSvg('/beacon')),
      await upload(app, 'page.xhtml', 'application/xhtml+xml', activePage('/beacon')),
      await upload(app, 'feed.xml', 'text/xml', '<?xml version="1.0"?><a/>'),
      await upload(app, 'app.js', 'text/javascript', 'alert(1)'),
      await upload(app, 'page', 'text/html', activePage('/beacon')),
    ];
    for (const file of attacks) {
      for (const method of ['GET', 'HEAD']) {
        const res = await get(`${app.origin}${file.url}?disposition=inline`, {}, method);
        expect(res.status, file.name).toBe(200);
        expect(res.headers['content-security-policy'], file.name).toBe(CSP);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(String(res.headers['content-type']), file.name).not.toMatch(
          /html|svg|xml|javascript/,
        );
        expect(res.headers['content-type'], file.name).toBe('application/octet-stream');
        expect(res.headers['content-disposition'], file.name).toMatch(/^attachment;/);
      }
    }

    // The safe types are still shown when asked, under the same policy.
    for (const [filename, type, data] of [
      ['dot.png', 'image/png', PNG],
      ['notes.txt', 'text/plain', 'hello'],
      ['doc.pdf', 'application/pdf', '%PDF-1.4'],
      ['clip.mp4', 'video/mp4', 'not really'],
    ] as const) {
      const file = await upload(app, filename, type, data);
      const res = await get(`${app.origin}${file.url}?disposition=inline`);
      expect(res.headers['content-disposition'], filename).toMatch(/^inline;/);
      expect(res.headers['content-security-policy']).toBe(CSP);
    }

    // 206, 304 and 416 carry the policy too.
    const file = attacks[0]!;
    const url = `${app.origin}${file.url}`;
    const partial = await get(url, { range: 'bytes=0-3' });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-security-policy']).toBe(CSP);
    const etag = String(partial.headers.etag);
    const cached = await get(url, { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.headers['content-security-policy']).toBe(CSP);
    const outside = await get(url, { range: 'bytes=99999-' });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-security-policy']).toBe(CSP);
  });

  it('serves the type the server verified: the sniffed bytes, else the extension, never the declared type alone (multipart and tus)', async () => {
    const plain = await start('plain');
    const innocent = await upload(plain, 'innocent.png', 'text/html', PNG);
    expect(innocent.type).toBe('application/octet-stream');
    expect((await get(`${plain.origin}${innocent.url}`)).headers['content-type']).toBe(
      'application/octet-stream',
    );
    expect((await upload(plain, 'dot.png', 'image/png', PNG)).type).toBe('image/png');
    expect((await upload(plain, 'x.html', 'text/html', '<p>')).type).toBe(
      'application/octet-stream',
    );
    expect((await upload(plain, 'a.txt', 'image/png', 'a')).type).toBe('application/octet-stream');
    expect((await upload(plain, 'a.txt', 'text/plain', 'a')).type).toBe('text/plain');

    // A tus upload's `filetype` is the client's word just the same.
    const tusCases: [string, string, string][] = [
      ['innocent.png', 'text/html', 'application/octet-stream'],
      ['dot.png', 'image/png', 'image/png'],
      ['x.html', 'text/html', 'application/octet-stream'],
      ['evil.svg', 'image/svg+xml', 'application/octet-stream'],
    ];
    for (const [filename, filetype, served] of tusCases) {
      const id = await tusUpload(plain.base, activePage('/beacon'), { filename, filetype });
      const res = await get(`${plain.base}/${id}?disposition=inline`);
      expect(res.status, filename).toBe(200);
      expect(res.headers['content-type'], filename).toBe(served);
      expect(res.headers['content-security-policy']).toBe(CSP);
      if (served !== 'image/png') expect(res.headers['content-disposition']).toMatch(/^attachment/);
    }

    // With sniff, the bytes decide, and a declared type they contradict is refused.
    const sniffing = await start('sniffing', { sniff: true });
    const lie = await postMultipart(`${sniffing.base}/upload`, [
      { name: 'file', filename: 'innocent.png', type: 'text/html', data: PNG },
    ]);
    expect(lie.status).toBe(415);
    expect(lie.body.error?.code).toBe('file-invalid-type');
    const pdfClaim = await postMultipart(`${sniffing.base}/upload`, [
      { name: 'file', filename: 'report.pdf', type: 'application/pdf', data: PNG },
    ]);
    expect(pdfClaim.status).toBe(415);
    expect((await upload(sniffing, 'photo.bin', 'application/octet-stream', PNG)).type).toBe(
      'image/png',
    );
    expect((await upload(sniffing, 'photo.jpg', 'image/jpg', PNG)).type).toBe('image/png');
    const svg = await upload(sniffing, 'logo.svg', 'image/svg+xml', activeSvg('/beacon'));
    const svgRes = await get(`${sniffing.origin}${svg.url}?disposition=inline`);
    expect(svgRes.headers['content-disposition']).toMatch(/^attachment/);
    expect(String(svgRes.headers['content-type'])).not.toMatch(/svg/);
  });

  it('answers If-Match and If-Unmodified-Since with 412, in the order of RFC 9110 13.2.2', async () => {
    const app = await start('preconditions');
    const file = await upload(app, 'p.txt', 'text/plain', '0123456789');
    const url = `${app.origin}${file.url}`;
    const first = await get(url);
    const etag = String(first.headers.etag);
    const modified = Date.parse(String(first.headers['last-modified']));
    const before = new Date(modified - 60_000).toUTCString();
    const after = new Date(modified + 60_000).toUTCString();

    const cases: [Record<string, string>, number][] = [
      [{ 'if-match': etag }, 200],
      [{ 'if-match': `"other", ${etag}` }, 200],
      [{ 'if-match': '*' }, 200],
      [{ 'if-match': '"other"' }, 412],
      // If-Match compares strongly.
      [{ 'if-match': `W/${etag}` }, 412],
      [{ 'if-unmodified-since': after }, 200],
      [{ 'if-unmodified-since': before }, 412],
      [{ 'if-unmodified-since': 'not a date' }, 200],
      // If-Unmodified-Since is ignored when If-Match is there.
      [{ 'if-match': etag, 'if-unmodified-since': before }, 200],
      // If-Match is judged before If-None-Match.
      [{ 'if-match': '"other"', 'if-none-match': etag }, 412],
      [{ 'if-match': etag, 'if-none-match': etag }, 304],
      [{ 'if-unmodified-since': after, 'if-modified-since': after }, 304],
      [{ 'if-match': etag, range: 'bytes=0-1' }, 206],
      [{ 'if-match': '"other"', range: 'bytes=0-1' }, 412],
    ];
    for (const [headers, status] of cases) {
      for (const method of ['GET', 'HEAD']) {
        const res = await get(url, headers, method);
        // A HEAD ignores the Range (RFC 9110 14.2): its 206 is a 200.
        const expected = method === 'HEAD' && status === 206 ? 200 : status;
        expect(res.status, `${method} ${JSON.stringify(headers)}`).toBe(expected);
        if (status === 412 && method === 'GET') {
          expect(JSON.parse(res.body.toString()).error.code).toBe('precondition-failed');
        }
      }
    }
  });

  it('serves a suffix range longer than the file whole (206), ignores an invalid Range (200), and answers 416 only when unsatisfiable', async () => {
    const app = await start('ranges');
    const file = await upload(app, 'ten.bin', 'application/octet-stream', '0123456789');
    const url = `${app.origin}${file.url}`;
    const suffix = await get(url, { range: 'bytes=-999999' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe('bytes 0-9/10');
    expect(suffix.body.toString()).toBe('0123456789');
    for (const range of [
      'bytes=5-2',
      'bytes=abc',
      'bytes=1-2;x',
      'bytes=--1',
      'bytes=',
      'pages=1-2',
    ]) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(200);
      expect(res.body.toString()).toBe('0123456789');
    }
    for (const range of ['bytes=10-', 'bytes=-0', 'bytes=20-30']) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */10');
    }
    expect((await get(url, { range: 'Bytes=2-3' })).body.toString()).toBe('23');
  });

  it('sends Cache-Control on downloads: private, no-cache by default, or the cacheControl option', async () => {
    const app = await start('cache');
    const file = await upload(app, 'c.txt', 'text/plain', 'cache me');
    const url = `${app.origin}${file.url}`;
    const full = await get(url);
    expect(full.headers['cache-control']).toBe('private, no-cache');
    expect((await get(url, {}, 'HEAD')).headers['cache-control']).toBe('private, no-cache');
    expect((await get(url, { range: 'bytes=0-1' })).headers['cache-control']).toBe(
      'private, no-cache',
    );
    const cached = await get(url, { 'if-none-match': String(full.headers.etag) });
    expect(cached.status).toBe(304);
    expect(cached.headers['cache-control']).toBe('private, no-cache');

    const cdn = await start('cdn', { cacheControl: 'public, max-age=31536000, immutable' });
    const shared = await upload(cdn, 'c.txt', 'text/plain', 'cache me');
    expect((await get(`${cdn.origin}${shared.url}`)).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
  });

  it('saves under ?filename= instead of the stored name (a browser ignores <a download> when the answer names the file), sanitized like an upload, never changing type, disposition or validators', async () => {
    const app = await start('rename');
    const file = await upload(app, 'notes.txt', 'text/plain', 'hello');
    const url = `${app.origin}${file.url}`;
    const plain = await get(url);
    const renamed = await get(`${url}?filename=${encodeURIComponent('minutes 2026.txt')}`);
    expect(renamed.status).toBe(200);
    expect(renamed.headers['content-disposition']).toBe('attachment; filename="minutes 2026.txt"');
    expect(renamed.body.toString()).toBe('hello');
    // The bytes are the same: so are the validators, and a cached copy is still good.
    expect(renamed.headers.etag).toBe(plain.headers.etag);
    expect(renamed.headers['cache-control']).toBe('private, no-cache');
    const revalidated = await get(`${url}?filename=other.txt`, {
      'if-none-match': String(plain.headers.etag),
    });
    expect(revalidated.status).toBe(304);
    expect((await get(`${url}?filename=x.txt`, {}, 'HEAD')).headers['content-disposition']).toBe(
      'attachment; filename="x.txt"',
    );
    expect(
      (await get(`${url}?filename=x.txt&disposition=inline`)).headers['content-disposition'],
    ).toBe('inline; filename="x.txt"');

    // Non-ASCII: an ASCII fallback and filename* (RFC 6266 appendix D), Latin-1 included: sent
    // raw in the quoted form, each client read it in a charset of its own guessing.
    const tokyo = await get(`${url}?filename=${encodeURIComponent('東京 €.txt')}`);
    expect(tokyo.headers['content-disposition']).toBe(
      `attachment; filename="__ _.txt"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20%E2%82%AC.txt`,
    );
    const latin = await get(`${url}?filename=${encodeURIComponent('données.txt')}`);
    expect(latin.headers['content-disposition']).toBe(
      `attachment; filename="donn_es.txt"; filename*=UTF-8''donn%C3%A9es.txt`,
    );

    // Hostile names: a path, CR/LF, quotes, 1,000 characters; an empty one keeps the stored name.
    const hostile: [string, string][] = [
      ['../../etc/passwd', 'attachment; filename="passwd"'],
      ['a\r\nX-Evil: 1\r\n\r\n.txt', 'attachment; filename="aX-Evil_ 1.txt"'],
      ['say "hi".txt', 'attachment; filename="say _hi_.txt"'],
      ['', 'attachment; filename="notes.txt"'],
      ['../', 'attachment; filename="notes.txt"'],
    ];
    for (const [asked, expected] of hostile) {
      const res = await get(`${url}?filename=${encodeURIComponent(asked)}`);
      expect(res.status, asked).toBe(200);
      expect(res.headers['x-evil'], asked).toBeUndefined();
      expect(res.headers['content-disposition'], asked).toBe(expected);
    }
    const long = await get(`${url}?filename=${'a'.repeat(996)}.txt`);
    expect(long.status).toBe(200);
    expect(long.headers['content-disposition']).toBe(
      `attachment; filename="${'a'.repeat(251)}.txt"`,
    );

    // An HTML upload renamed (even to .png, even asking inline) stays an attachment, sandboxed.
    const page = await upload(app, 'x.html', 'text/html', activePage('/beacon'));
    for (const asked of ['renamed.html', 'innocent.png']) {
      const res = await get(`${app.origin}${page.url}?disposition=inline&filename=${asked}`);
      expect(res.headers['content-disposition'], asked).toBe(`attachment; filename="${asked}"`);
      expect(res.headers['content-type'], asked).toBe('application/octet-stream');
      expect(res.headers['content-security-policy'], asked).toBe(CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('leaks no file descriptor when a stored value cannot be sent as a header', async () => {
    const directory = join(root, 'fds');
    await mkdir(join(directory, PARTIAL_DIR), { recursive: true });
    const storage = alteredStorage(diskStorage({ directory }), (meta) => {
      if (meta.name.startsWith('bad-type')) return { ...meta, type: 'text/plain\r\nX-Evil: 1' };
      if (meta.name.startsWith('bad-tag')) return { ...meta, sha256: 'x\r\nX-Evil: 1' };
      if (meta.name.startsWith('wide-type')) return { ...meta, type: 'text/plain; x=東京' };
      return meta;
    });
    const app = await startApp(name, { options: { storage } });
    apps.push(app);
    const files = [
      await upload(app, 'bad-type.txt', 'text/plain', 'x'.repeat(100)),
      await upload(app, 'bad-tag.txt', 'text/plain', 'x'.repeat(100)),
      await upload(app, 'wide-type.txt', 'text/plain', 'x'.repeat(100)),
    ];
    for (const file of files) await get(`${app.origin}${file.url}`);
    const before = await settledDescriptors();
    const statuses = new Set<number>();
    for (let i = 0; i < 10; i++) {
      for (const file of files) {
        const res = await get(`${app.origin}${file.url}`, i % 2 ? { range: 'bytes=0-9' } : {});
        statuses.add(res.status);
        expect(res.headers['x-evil']).toBeUndefined();
      }
    }
    expect(await settledDescriptors()).toBeLessThanOrEqual(before + 2);
    // A type that cannot be a header is served as octet-stream; a broken tag is a 500.
    const badType = await get(`${app.origin}${files[0]!.url}`);
    expect(badType.status).toBe(200);
    expect(badType.headers['content-type']).toBe('application/octet-stream');
    expect((await get(`${app.origin}${files[1]!.url}`)).status).toBe(500);
    expect(statuses).toEqual(new Set([200, 206, 500]));
  });

  it('leaves no descriptor open on a file once deleted, after clients left mid-body and HEAD, 304 and 416 answers', async () => {
    const directory = join(root, 'left');
    const storage = diskStorage({ directory, fsync: false });
    const size = 24 * 1024 * 1024;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const data = randomBytes(size);
      const sink = await storage.begin(createFileId());
      await writeAll(sink, [data]);
      await sink.commit(commitMeta(data));
      ids.push(sink.id);
    }
    const app = await startApp(name, { options: { storage } });
    apps.push(app);
    for (const id of ids) {
      const url = `${app.base}/${id}`;
      const etag = `"${(await storage.stat(id))?.sha256}"`;
      for (const headers of [{}, { range: 'bytes=1-' }, {}] as Record<string, string>[]) {
        const left = await leaveMidBody(url, headers);
        expect(left.status).toBe('range' in headers ? 206 : 200);
        expect(left.received).toBeLessThan(size);
      }
      expect((await get(url, {}, 'HEAD')).status).toBe(200);
      expect((await get(url, { 'if-none-match': etag })).status).toBe(304);
      expect((await get(url, { range: `bytes=${size}-` })).status).toBe(416);
      expect((await get(url, { range: 'bytes=0-9' })).body.length).toBe(10);
    }
    // A stream the server still counts as reading would keep its file's descriptor open past
    // the delete: the descriptor is closed only once no one reads from it.
    for (const id of ids) expect(await storage.delete(id)).toBe(true);
    const closed = await eventually(async () =>
      ids.every((id) => descriptorsOn(join(directory, id)) === 0),
    );
    expect(ids.map((id) => descriptorsOn(join(directory, id)))).toEqual(ids.map(() => 0));
    expect(closed).toBe(true);
  });

  it('lets go of a source that stalls once its client left, a small answer included', async () => {
    const directory = join(root, 'stalled');
    const disk = diskStorage({ directory, fsync: false });
    const sources: Readable[] = [];
    // A store whose read gives a few bytes, then nothing more (a bucket that stopped sending).
    const storage = {
      ...disk,
      createReadStream: async () => {
        const source = new Readable({ read() {} });
        source.push(Buffer.from('abc'));
        sources.push(source);
        return source;
      },
    };
    const data = randomBytes(100);
    const sink = await disk.begin(createFileId());
    await writeAll(sink, [data]);
    await sink.commit(commitMeta(data));
    const app = await startApp(name, { options: { storage } });
    apps.push(app);
    for (const range of ['bytes=0-9', 'bytes=0-']) {
      const req = request(`${app.base}/${sink.id}`, { headers: { range }, agent: false });
      req.on('error', () => {});
      req.end();
      await eventually(async () => sources.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      req.destroy();
      expect(await eventually(async () => sources.every((s) => s.destroyed), 3_000), range).toBe(
        true,
      );
    }
    expect(sources).toHaveLength(2);
  });
});
