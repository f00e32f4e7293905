// What a download answers, held to RFC 9110 (ranges, preconditions, HEAD, the statuses and the
// headers each carries), RFC 6266 and RFC 8187 (Content-Disposition), on every adapter; and
// `send` (what serve-static and express.static wrap) asked the same of the same file, as the
// peer. Where the two differ the RFC decides; the `send` column records what send answers.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import contentDisposition from 'content-disposition';
import send from 'send';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import type { Storage } from '../storage/storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { type RawAnswer as Answer, postMultipart, requestOnce } from '../test-support/client';

const ask = requestOnce;

/**
 * Writes `requests` on one keep-alive connection and reads until the last answer's end (its
 * Content-Length), as a client reusing the connection would: a body sent where none belongs
 * (a HEAD, a 304) shows up as garbage where the next status line should be.
 */
function pipelined(port: number, requests: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, 3_000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      // Not anchored to a line: after a body the next status line follows its last byte.
      const starts = text.match(/HTTP\/1\.1 \d{3} /g) ?? [];
      const last = text.lastIndexOf('HTTP/1.1 ');
      const end = text.indexOf('\r\n\r\n', last);
      const length = /content-length: (\d+)/i.exec(text.slice(last, end));
      if (starts.length === requests.length && end !== -1) {
        if (text.length - (end + 4) >= Number(length?.[1] ?? 0)) {
          clearTimeout(timer);
          socket.destroy();
          resolve(text);
        }
      }
    });
    socket.on('error', reject);
    socket.write(requests.map((r) => `${r}\r\nHost: 127.0.0.1\r\n\r\n`).join(''));
  });
}

/** The validators each server gives the file (send's are its own: a weak tag of size and mtime). */
interface Validators {
  etag: string;
  lastModified: string;
}

type Which = 'ten' | 'empty';

interface Case {
  name: string;
  method?: 'GET' | 'HEAD';
  file?: Which;
  headers: (v: Validators) => Record<string, string>;
  /** What RFC 9110 asks: the status, the Content-Range, the bytes. */
  rfc: { status: number; range?: string; body?: string };
  /** What send 1.2.1 answers for the same request on the same file. */
  send: number;
}

const TEN = '0123456789';
const MANY = `bytes=${Array.from({ length: 300 }, (_, i) => `${i % 10}-${i % 10}`).join(',')}`;

const CASES: Case[] = [
  // 14.1.2: first-pos and last-pos are inclusive.
  {
    name: 'bytes=0-0',
    headers: () => ({ range: 'bytes=0-0' }),
    rfc: { status: 206, range: 'bytes 0-0/10', body: '0' },
    send: 206,
  },
  // 14.1.1: a suffix-range of length 0 is unsatisfiable; 15.5.17: 416 with `bytes */len`.
  {
    name: 'bytes=-0',
    headers: () => ({ range: 'bytes=-0' }),
    rfc: { status: 416, range: 'bytes */10' },
    send: 416,
  },
  // 14.1.3: a suffix longer than the representation selects all of it. send answers 416.
  {
    name: 'a suffix longer than the file',
    headers: () => ({ range: 'bytes=-20' }),
    rfc: { status: 206, range: 'bytes 0-9/10', body: TEN },
    send: 416,
  },
  {
    name: 'a suffix beyond 2^53',
    headers: () => ({ range: 'bytes=-9007199254740993' }),
    rfc: { status: 206, range: 'bytes 0-9/10', body: TEN },
    send: 416,
  },
  // 14.1.1: satisfiable only when first-pos is below the length.
  {
    name: 'bytes=N- at the end',
    headers: () => ({ range: 'bytes=10-' }),
    rfc: { status: 416, range: 'bytes */10' },
    send: 416,
  },
  {
    name: 'bytes=N- on the last byte',
    headers: () => ({ range: 'bytes=9-' }),
    rfc: { status: 206, range: 'bytes 9-9/10', body: '9' },
    send: 206,
  },
  {
    name: 'a first-pos beyond 2^53',
    headers: () => ({ range: 'bytes=9007199254740993-' }),
    rfc: { status: 416, range: 'bytes */10' },
    send: 416,
  },
  // 14.1.2: a last-pos past the end is the end.
  {
    name: 'a last-pos beyond 2^53',
    headers: () => ({ range: 'bytes=0-9007199254740993' }),
    rfc: { status: 206, range: 'bytes 0-9/10', body: TEN },
    send: 206,
  },
  // 14.1.1: last-pos before first-pos is invalid; 14.2: MAY ignore (us) or reject (send).
  {
    name: 'bytes=1-0',
    headers: () => ({ range: 'bytes=1-0' }),
    rfc: { status: 200, body: TEN },
    send: 416,
  },
  // 14.2: a server MAY ignore a Range; we serve several disjoint ranges whole, never multipart.
  {
    name: 'two disjoint ranges',
    headers: () => ({ range: 'bytes=0-1,3-4' }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  // 15.3.7.2: overlapping ranges may be coalesced; one range is never multipart.
  {
    name: 'two overlapping ranges',
    headers: () => ({ range: 'bytes=0-1,1-3' }),
    rfc: { status: 206, range: 'bytes 0-3/10', body: '0123' },
    send: 206,
  },
  // 14.2: many small overlapping ranges MAY be coalesced (no multipart to amplify).
  {
    name: '300 overlapping ranges',
    headers: () => ({ range: MANY }),
    rfc: { status: 206, range: 'bytes 0-9/10', body: TEN },
    send: 206,
  },
  // 14.1: range units compare case-insensitively (send ignores the header: allowed, 14.2).
  {
    name: 'Bytes=0-1',
    headers: () => ({ range: 'Bytes=0-1' }),
    rfc: { status: 206, range: 'bytes 0-1/10', body: '01' },
    send: 200,
  },
  // Whitespace around the unit's `=` is not in the grammar: ignoring or reading it are both
  // allowed (14.2); we read it, send ignores it.
  {
    name: 'bytes = 0-1',
    headers: () => ({ range: 'bytes = 0-1' }),
    rfc: { status: 206, range: 'bytes 0-1/10', body: '01' },
    send: 200,
  },
  // 14.2: a unit the server does not know MUST be ignored.
  {
    name: 'an unknown unit',
    headers: () => ({ range: 'pages=0-1' }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  // 13.1.5: If-Range with the exact Last-Modified date (a strong one: ids are never rewritten).
  {
    name: 'If-Range with the Last-Modified date',
    headers: (v) => ({ range: 'bytes=0-1', 'if-range': v.lastModified }),
    rfc: { status: 206, range: 'bytes 0-1/10', body: '01' },
    send: 206,
  },
  {
    name: 'If-Range with another date',
    headers: () => ({ range: 'bytes=0-1', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  {
    name: 'If-Range with the entity tag',
    headers: (v) => ({ range: 'bytes=0-1', 'if-range': v.etag }),
    rfc: { status: 206, range: 'bytes 0-1/10', body: '01' },
    send: 206,
  },
  // 13.1.5: If-Range compares strongly; a weak tag never matches. send gives the range.
  {
    name: 'If-Range with the weak tag',
    headers: (v) => ({ range: 'bytes=0-1', 'if-range': `W/${v.etag.replace(/^W\//, '')}` }),
    rfc: { status: 200, body: TEN },
    send: 206,
  },
  // 13.1.5: an If-Range without a Range MUST be ignored.
  {
    name: 'If-Range without a Range',
    headers: () => ({ 'if-range': '"other"' }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  // 13.1.2: If-None-Match compares weakly; GET and HEAD get a 304.
  {
    name: 'If-None-Match with the tag',
    headers: (v) => ({ 'if-none-match': v.etag }),
    rfc: { status: 304 },
    send: 304,
  },
  {
    name: 'If-None-Match with the weak tag',
    headers: (v) => ({ 'if-none-match': `W/${v.etag.replace(/^W\//, '')}` }),
    rfc: { status: 304 },
    send: 304,
  },
  {
    name: 'If-None-Match: *',
    headers: () => ({ 'if-none-match': '*' }),
    rfc: { status: 304 },
    send: 304,
  },
  {
    name: 'HEAD with If-None-Match',
    method: 'HEAD',
    headers: (v) => ({ 'if-none-match': v.etag }),
    rfc: { status: 304 },
    send: 304,
  },
  {
    name: 'If-Modified-Since the Last-Modified date',
    headers: (v) => ({ 'if-modified-since': v.lastModified }),
    rfc: { status: 304 },
    send: 304,
  },
  // 13.2.2 step 3: If-None-Match present, If-Modified-Since is not evaluated.
  {
    name: 'If-None-Match another tag, If-Modified-Since current',
    headers: (v) => ({ 'if-none-match': '"other"', 'if-modified-since': v.lastModified }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  // 13.1.1: If-Match compares strongly. send compares weakly and serves the file.
  {
    name: 'If-Match with the tag',
    headers: (v) => ({ 'if-match': v.etag }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  {
    name: 'If-Match with the weak tag',
    headers: (v) => ({ 'if-match': `W/${v.etag.replace(/^W\//, '')}` }),
    rfc: { status: 412 },
    send: 200,
  },
  {
    name: 'If-Match with another tag',
    headers: () => ({ 'if-match': '"other"' }),
    rfc: { status: 412 },
    send: 412,
  },
  {
    name: 'If-Unmodified-Since before Last-Modified',
    headers: () => ({ 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }),
    rfc: { status: 412 },
    send: 412,
  },
  // 13.1.4: a value that appears to be a list of dates MUST be ignored.
  {
    name: 'If-Unmodified-Since with a list of dates',
    headers: (v) => ({ 'if-unmodified-since': `${v.lastModified}, ${v.lastModified}` }),
    rfc: { status: 200, body: TEN },
    send: 200,
  },
  // 13.1.3, 13.1.4: a value that is not an HTTP-date MUST be ignored. send reads any date
  // Date.parse takes (`0` is the year 2000, an ISO date passes).
  {
    name: 'If-Unmodified-Since: 0',
    headers: () => ({ 'if-unmodified-since': '0' }),
    rfc: { status: 200, body: TEN },
    send: 412,
  },
  {
    name: 'If-Modified-Since in ISO 8601',
    headers: () => ({ 'if-modified-since': '2099-01-01T00:00:00Z' }),
    rfc: { status: 200, body: TEN },
    send: 304,
  },
  // 13.1.5: an If-Range that is neither a tag nor an HTTP-date never holds.
  {
    name: 'If-Range with the Last-Modified second in ISO 8601',
    headers: (v) => ({ range: 'bytes=0-1', 'if-range': new Date(v.lastModified).toISOString() }),
    rfc: { status: 200, body: TEN },
    send: 206,
  },
  // 5.6.7: the obsolete RFC 850 form is still an HTTP-date a recipient MUST read.
  {
    name: 'If-Modified-Since in the RFC 850 form',
    headers: (v) => ({ 'if-modified-since': rfc850(v.lastModified) }),
    rfc: { status: 304 },
    send: 304,
  },
  // 13.2.2: the preconditions come before the range (step 5-6), so a 304 or 412 wins over 416.
  {
    name: 'an unsatisfiable range with a matching If-None-Match',
    headers: (v) => ({ range: 'bytes=20-', 'if-none-match': v.etag }),
    rfc: { status: 304 },
    send: 304,
  },
  {
    name: 'a range with a failing If-Match',
    headers: () => ({ range: 'bytes=0-1', 'if-match': '"other"' }),
    rfc: { status: 412 },
    send: 412,
  },
  // 9.3.2: HEAD is GET without the content.
  { name: 'HEAD', method: 'HEAD', headers: () => ({}), rfc: { status: 200, body: '' }, send: 200 },
  // 14.2: a server MUST ignore a Range on a method that does not define range handling, and
  // GET is the only one that does: a HEAD with a Range is a 200. send answers as for a GET.
  {
    name: 'HEAD with a Range',
    method: 'HEAD',
    headers: () => ({ range: 'bytes=0-1' }),
    rfc: { status: 200, body: '' },
    send: 206,
  },
  {
    name: 'HEAD with an unsatisfiable Range',
    method: 'HEAD',
    headers: () => ({ range: 'bytes=20-' }),
    rfc: { status: 200, body: '' },
    send: 416,
  },
  // 14.1.1: the one file with no bytes.
  {
    name: 'an empty file',
    file: 'empty',
    headers: () => ({}),
    rfc: { status: 200, body: '' },
    send: 200,
  },
  {
    name: 'bytes=0- of an empty file',
    file: 'empty',
    headers: () => ({ range: 'bytes=0-' }),
    rfc: { status: 416, range: 'bytes */0' },
    send: 416,
  },
  // 14.1.1: of an empty file a non-zero suffix is satisfiable, and no 206 can carry no bytes:
  // the whole file, 200. send answers 416.
  {
    name: 'bytes=-5 of an empty file',
    file: 'empty',
    headers: () => ({ range: 'bytes=-5' }),
    rfc: { status: 200, body: '' },
    send: 416,
  },
];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** An IMF-fixdate in the obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`. */
function rfc850(imfFixdate: string): string {
  const d = new Date(imfFixdate);
  const [, day, month, year, time] = imfFixdate.split(' ');
  return `${WEEKDAYS[d.getUTCDay()]}, ${day}-${month}-${String(year).slice(2)} ${time} GMT`;
}

/** An IMF-fixdate in the obsolete asctime form, which has no zone: `Sun Nov  6 08:49:37 1994`. */
function asctime(imfFixdate: string): string {
  const [weekday, day, month, year, time] = imfFixdate.split(' ');
  return `${String(weekday).slice(0, 3)} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

/** What every answer of a status must and must not carry (RFC 9110 8.6, 15.3.7, 15.4.5, 15.5.17). */
function expectHeadersOf(res: Answer, expected: Case['rfc'], label: string, size: number): void {
  const h = res.headers;
  // 6.6.1: an origin server with a clock sends Date on every answer.
  expect(h.date, label).toBeDefined();
  expect(h['transfer-encoding'], label).toBeUndefined();
  if (expected.status === 200 || expected.status === 206) {
    expect(h.etag, label).toMatch(/^"[0-9a-f]{64}"$/);
    expect(h['last-modified'], label).toBeDefined();
    expect(h['accept-ranges'], label).toBe('bytes');
    expect(h['cache-control'], label).toBe('private, no-cache');
    expect(h['content-range'], label).toBe(expected.range);
  }
  if (expected.status === 200) expect(h['content-length'], label).toBe(String(size));
  if (expected.status === 206) {
    const [, first, last] = /^bytes (\d+)-(\d+)\//.exec(String(h['content-range'])) ?? [];
    expect(h['content-length'], label).toBe(String(Number(last) - Number(first) + 1));
  }
  if (expected.status === 304) {
    // 15.4.5: the validators and caching a 200 would have had; no content, so none of its
    // metadata: no Content-Length (8.6: only the 200's own), Content-Type or Content-Range.
    expect(h.etag, label).toMatch(/^"[0-9a-f]{64}"$/);
    expect(h['cache-control'], label).toBe('private, no-cache');
    expect(h['content-length'], label).toBeUndefined();
    expect(h['content-type'], label).toBeUndefined();
    expect(h['content-range'], label).toBeUndefined();
    expect(res.body.length, label).toBe(0);
  }
  if (expected.status === 416) expect(h['content-range'], label).toBe(expected.range);
  if (expected.status === 412) expect(h['content-range'], label).toBeUndefined();
}

describe.each(ALL_ADAPTERS)('%s downloads, held to the RFCs', (name) => {
  let root: string;
  let storage: Storage;
  let app: RunningApp;
  const ids = {} as Record<Which, string>;
  let validators: Validators;

  async function upload(filename: string, data: string | Uint8Array): Promise<string> {
    const answer = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename, type: 'text/plain', data },
    ]);
    expect(answer.status, filename).toBe(201);
    return String(answer.body.files?.[0]?.id);
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-rfc-${name}-`));
    await mkdir(join(root, PARTIAL_DIR), { recursive: true });
    storage = diskStorage({ directory: root, fsync: false });
    app = await startApp(name, { options: { storage, authorize: () => true } });
    ids.ten = await upload('ten.txt', TEN);
    ids.empty = await upload('empty.txt', '');
    const head = await ask(`${app.base}/${ids.ten}`, {}, 'HEAD');
    validators = {
      etag: String(head.headers.etag),
      lastModified: String(head.headers['last-modified']),
    };
  });

  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(CASES)('$name', async (c) => {
    const method = c.method ?? 'GET';
    const file = c.file ?? 'ten';
    const url = `${app.base}/${ids[file]}`;
    const res = await ask(url, c.headers(validators), method);
    const label = `${method} ${c.name}`;
    expect(res.status, label).toBe(c.rfc.status);
    if (c.rfc.body !== undefined) expect(res.body.toString(), label).toBe(c.rfc.body);
    expectHeadersOf(res, c.rfc, label, file === 'ten' ? TEN.length : 0);
    // 9.3.2: a HEAD gets the headers the GET gets, without the content; 14.2: Range is for GET
    // alone, so a HEAD with one is the HEAD without it.
    const { range: _r, 'if-range': _i, ...plain } = c.headers(validators);
    const get = await ask(url, plain, 'GET');
    const heads = [await ask(url, plain, 'HEAD'), await ask(url, c.headers(validators), 'HEAD')];
    for (const head of heads) {
      expect(head.status, label).toBe(get.status);
      expect(head.body.length, label).toBe(0);
      const { date: _a, ...getHeaders } = get.headers;
      const { date: _b, ...headHeaders } = head.headers;
      expect(headHeaders, label).toEqual(getHeaders);
    }
  });

  // Beside the table: send reads an asctime date in the process's zone, so it has no column.
  it('reads the obsolete asctime form of an HTTP-date as GMT (RFC 9110 5.6.7)', async () => {
    const url = `${app.base}/${ids.ten}`;
    const date = asctime(validators.lastModified);
    expect((await ask(url, { 'if-modified-since': date })).status).toBe(304);
    expect((await ask(url, { range: 'bytes=0-1', 'if-range': date })).status).toBe(206);
    const hourEarlier = asctime(
      new Date(Date.parse(validators.lastModified) - 3_600_000).toUTCString(),
    );
    expect((await ask(url, { 'if-unmodified-since': hourEarlier })).status).toBe(412);
  });

  it('performs a DELETE only when its preconditions hold (RFC 9110 13.1.1, 13.1.2, 13.1.4): else 412 and the file kept; If-Modified-Since is for GET and HEAD alone', async () => {
    const id = await upload('doomed.txt', TEN);
    const url = `${app.base}/${id}`;
    const head = await ask(url, {}, 'HEAD');
    const etag = String(head.headers.etag);
    const lastModified = String(head.headers['last-modified']);
    for (const headers of [
      { 'if-match': '"other"' },
      // If-Match compares strongly.
      { 'if-match': `W/${etag}` },
      // 13.2.2 step 3: a matching If-None-Match on a method other than GET or HEAD is a 412.
      { 'if-none-match': etag },
      { 'if-none-match': '*' },
      { 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
      { 'if-match': etag, 'if-none-match': etag },
    ] as Record<string, string>[]) {
      const res = await ask(url, headers, 'DELETE');
      expect(res.status, JSON.stringify(headers)).toBe(412);
      expect(JSON.parse(res.body.toString()).error.code).toBe('precondition-failed');
      expect(res.headers.etag).toBe(etag);
      expect((await ask(url)).status, JSON.stringify(headers)).toBe(200);
    }
    // If-Modified-Since, which would make a GET a 304, does not hold back a DELETE.
    const done = await ask(
      url,
      { 'if-match': etag, 'if-unmodified-since': lastModified, 'if-modified-since': lastModified },
      'DELETE',
    );
    expect(done.status).toBe(204);
    // 8.6: no Content-Length on a 204.
    expect(done.headers['content-length']).toBeUndefined();
    expect((await ask(url)).status).toBe(404);
    // 13.2.1: with no file the answer is the 404 it would be without the conditions.
    expect((await ask(url, { 'if-match': '*' }, 'DELETE')).status).toBe(404);
  });

  // 9.1 says SHOULD 405 for a method the resource does not allow; the adapters leave a method
  // they do not serve to the app's own routes (a 404 of the framework when it has none), so
  // what is pinned here is that no such method reads, changes or reveals the file.
  it('neither serves nor touches a file for POST, PUT, PATCH, OPTIONS or an unknown method', async () => {
    const url = `${app.base}/${ids.ten}`;
    for (const method of ['POST', 'PUT', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      const res = await ask(url, { 'content-length': '0' }, method);
      expect(res.status, method).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-disposition'], method).toBeUndefined();
      expect(res.headers.etag, method).toBeUndefined();
      expect(res.body.toString(), method).not.toContain(TEN);
    }
    const after = await ask(url);
    expect(after.status).toBe(200);
    expect(after.body.toString()).toBe(TEN);
  });

  it('sends no body where none belongs: HEAD answers and a 304 leave the connection in step', async () => {
    const path = `/api/files/${ids.ten}`;
    const text = await pipelined(app.port, [
      `HEAD ${path} HTTP/1.1`,
      `HEAD ${path} HTTP/1.1\r\nIf-Match: "other"`,
      `HEAD ${path} HTTP/1.1\r\nIf-None-Match: ${validators.etag}`,
      `GET ${path} HTTP/1.1\r\nIf-None-Match: ${validators.etag}`,
      // Two Range fields are one list (RFC 9110 5.3), `bytes=2-4, bytes=7-8`: not a valid
      // ranges-specifier, ignored (a 200) rather than read as one of them.
      `GET ${path} HTTP/1.1\r\nRange: bytes=2-4\r\nRange: bytes=7-8`,
      `GET ${path} HTTP/1.1\r\nRange: bytes=2-4`,
    ]);
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toHaveLength(6);
    expect(statuses.slice(3)).toEqual([304, 200, 206]);
    expect(text).toContain(`\r\n\r\n${TEN}HTTP/1.1 206`);
    // Each bodiless answer ends where the next status line begins; the last is its range.
    for (const block of text.split(/(?=HTTP\/1\.1 \d{3} )/).slice(0, 4)) {
      expect(block.endsWith('\r\n\r\n'), block.slice(0, 40)).toBe(true);
    }
    expect(text.endsWith('\r\n\r\n234')).toBe(true);
  });

  it('serves the file whole to a client that reads it after it was deleted (the open file is read to its end), and 404 after', async () => {
    const big = randomBytes(4 * 1024 * 1024);
    const id = await upload('big.bin', big);
    const url = `${app.base}/${id}`;
    const got = await new Promise<{ status: number; length: string; bytes: Buffer }>(
      (resolve, reject) => {
        const req = request(url, { agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.once('data', async (first: Buffer) => {
            chunks.push(first);
            res.pause();
            expect(await storage.delete(id)).toBe(true);
            res.on('data', (c: Buffer) => chunks.push(c));
            res.resume();
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              length: String(res.headers['content-length']),
              bytes: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(got.status).toBe(200);
    expect(got.length).toBe(String(big.length));
    expect(got.bytes.equals(big)).toBe(true);
    expect((await ask(url)).status).toBe(404);
  });

  it('reaches no file through a hostile id: traversal, encoded separators, NUL, a huge id', async () => {
    const secret = `${ids.ten}.json`;
    for (const id of [
      `..%2F${ids.ten}`,
      `%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `..%5c..%5c${secret}`,
      `${ids.ten}%00`,
      `${ids.ten}.json`,
      `${ids.ten}%2Ejson`,
      'x'.repeat(200),
      'x'.repeat(4000),
    ]) {
      const res = await ask(`${app.origin}/api/files/${id}`);
      // 414 from a framework that caps the target's length is as good.
      expect([404, 414], id.slice(0, 40)).toContain(res.status);
      expect(res.headers['content-disposition'], id).toBeUndefined();
      expect(res.body.toString(), id).not.toContain(TEN);
    }
    // Not normalized by the client: the dots reach the server as sent.
    const raw = await pipelined(app.port, [`GET /api/files/../files/${secret} HTTP/1.1`]);
    expect(raw).not.toContain('"sha256"');
    expect(raw).not.toMatch(/content-disposition/i);
  });

  it('names the file per RFC 6266 and RFC 8187 whatever ?filename= holds: no header split, no path, no bidi control, quotes escaped or replaced, UTF-8 in filename*', async () => {
    const url = `${app.base}/${ids.ten}`;
    const cases: [asked: string, saved: string][] = [
      ['report.txt', 'report.txt'],
      ['東京 €.txt', '東京 €.txt'],
      ['données.txt', 'données.txt'],
      ['invoice\u202Etxt.exe', 'invoicetxt.exe'],
      ['a\r\nSet-Cookie: x=1\r\n.txt', 'aSet-Cookie_ x=1.txt'],
      ['say "hi".txt', 'say _hi_.txt'],
      ['..\\..\\windows\\evil.txt', 'evil.txt'],
      ['../../etc/passwd', 'passwd'],
      ['%41%42.txt', '%41%42.txt'],
      ['x'.repeat(600), 'x'.repeat(255)],
      [`${'é'.repeat(200)}.txt`, `${'é'.repeat(125)}.txt`],
    ];
    for (const [asked, saved] of cases) {
      const res = await ask(`${url}?filename=${encodeURIComponent(asked)}`);
      expect(res.status, asked).toBe(200);
      expect(res.headers['set-cookie'], asked).toBeUndefined();
      const header = String(res.headers['content-disposition']);
      // A recipient that reads RFC 6266 (filename* first, RFC 8187's UTF-8) gets the name.
      const parsed = contentDisposition.parse(Buffer.from(header, 'latin1').toString('latin1'));
      expect(parsed.type, asked).toBe('attachment');
      expect(parsed.parameters.filename, asked).toBe(saved);
      // The quoted fallback never carries a quote, backslash or control character of its own.
      expect(header, asked).toMatch(
        // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
        /^attachment; filename="[^"\\\x00-\x1f\x7f]*"(; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+)?$/,
      );
      // Beyond ISO-8859-1, or a `%XX` a recipient might decode: the name is in filename*.
      if (/[^\x20-\xff]|%[0-9A-Fa-f]{2}/.test(saved)) {
        expect(header, asked).toContain("filename*=UTF-8''");
      }
    }
  });
});

describe('send, the peer, asked the same', () => {
  let root: string;
  let server: Server;
  let port: number;
  let app: RunningApp;
  const ids = {} as Record<Which, string>;
  let validators: Validators;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'updown-rfc-send-'));
    await mkdir(join(root, PARTIAL_DIR), { recursive: true });
    app = await startApp('express', { options: { storage: diskStorage({ directory: root }) } });
    for (const [which, data] of [
      ['ten', TEN],
      ['empty', ''],
    ] as const) {
      const answer = await postMultipart(`${app.base}/upload`, [
        { name: 'file', filename: `${which}.txt`, type: 'text/plain', data },
      ]);
      ids[which] = String(answer.body.files?.[0]?.id);
    }
    // send serves the very files diskStorage wrote, by id.
    server = createServer((req, res) => {
      send(req, String(req.url).slice(1), { root }).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const head = await ask(`http://127.0.0.1:${port}/${ids.ten}`, {}, 'HEAD');
    validators = {
      etag: String(head.headers.etag),
      lastModified: String(head.headers['last-modified']),
    };
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(CASES)('$name', async (c) => {
    const res = await ask(
      `http://127.0.0.1:${port}/${ids[c.file ?? 'ten']}`,
      c.headers(validators),
      c.method ?? 'GET',
    );
    expect(res.status).toBe(c.send);
  });
});
