// The fast paths of a download (the one-range parse, the headers remembered for a file)
// against the general ones: the same request, spelled so that it takes one path or the other,
// must get the same answer, byte for byte and header for header, in the same order.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, upload } from '../test-support/handler-test-kit';

const DATA = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 251));

interface RawAnswer {
  status: number;
  /** Every header but `Date`, as sent, in order. */
  headers: string[];
  body: Buffer;
}

function get(
  server: TestServer,
  path: string,
  headers: Record<string, string>,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = res.rawHeaders;
          const kept: string[] = [];
          for (let i = 0; i < raw.length; i += 2) {
            if (raw[i]?.toLowerCase() !== 'date') kept.push(`${raw[i]}: ${raw[i + 1]}`);
          }
          resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let server: TestServer;
let path: string;
let etag: string;
let lastModified: string;

beforeAll(async () => {
  server = await startServer();
  const res = await upload(server, [
    { name: 'file', filename: 'données.bin', type: 'application/octet-stream', data: DATA },
  ]);
  path = String(res.json().files?.[0]?.url);
  const head = await get(server, path, {});
  etag = `"${String(res.json().files?.[0]?.sha256)}"`;
  lastModified = (head.headers.find((h) => h.startsWith('Last-Modified: ')) ?? '').slice(15);
});
afterAll(() => server.close());

/** Ranges in the form of the fast path, each with a spelling only the general path reads. */
const RANGES: [fast: string, general: string][] = [
  ['bytes=0-99', 'bytes= 0-99'],
  ['bytes=0-0', 'bytes=0-0,'],
  ['bytes=10-', 'bytes =10-'],
  ['bytes=999-', 'Bytes=999-'],
  ['bytes=990-5000', 'bytes=990-5000 '],
  ['bytes=1000-', 'bytes=1000- '],
  ['bytes=1000-1000', ' bytes=1000-1000'],
  ['bytes=5-2', 'bytes= 5-2'],
  ['bytes=0-999999999999999', 'bytes=0-999999999999999, '],
];

describe('a download answers the same on its fast and general paths', () => {
  const conditions = (): Record<string, string>[] => [
    {},
    { 'If-Range': etag },
    { 'If-Range': '"other"' },
    { 'If-Range': lastModified },
    { 'If-Range': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    { 'If-None-Match': etag },
    { 'If-None-Match': '"other"' },
    { 'If-None-Match': '"other"', 'If-Range': etag },
    { 'If-Match': '"other"' },
    { 'If-Modified-Since': lastModified },
  ];

  it('over every range, validator and precondition, and a query', async () => {
    let compared = 0;
    for (const [fast, general] of RANGES) {
      for (const condition of conditions()) {
        for (const query of ['', '?disposition=inline', '?filename=other.txt']) {
          const url = `${path}${query}`;
          const a = await get(server, url, { ...condition, Range: fast });
          const b = await get(server, url, { ...condition, Range: general });
          const label = `${fast} ${JSON.stringify(condition)} ${query}`;
          expect(a, label).toEqual(b);
          compared++;
        }
      }
    }
    expect(compared).toBe(RANGES.length * 10 * 3);
  });

  it('the same on a first answer, its headers built, as on later ones, remembered', async () => {
    // A new file: nothing is remembered for it before its first answer.
    const res = await upload(server, [
      { name: 'file', filename: 'fresh.txt', type: 'text/plain', data: 'fresh bytes' },
    ]);
    const url = `${String(res.json().files?.[0]?.url)}?disposition=inline`;
    const first = await get(server, url, { Range: 'bytes=1-4' });
    expect(first.status).toBe(206);
    expect(first.body.toString()).toBe('resh');
    expect(await get(server, url, { Range: 'bytes=1-4' })).toEqual(first);
    // Another name for the same file is its own set of headers, not the first one's.
    const renamed = await get(server, `${url}&filename=b.txt`, { Range: 'bytes=1-4' });
    expect(renamed.headers).toContain('Content-Disposition: inline; filename="b.txt"');
    expect(renamed.headers).toEqual(
      first.headers.map((h) =>
        h.startsWith('Content-Disposition')
          ? renamed.headers.find((r) => r.startsWith('Content-Disposition'))
          : h,
      ),
    );
  });

  it('serves the bytes asked for on the fast path', async () => {
    const a = await get(server, path, { Range: 'bytes=10-19' });
    expect(a.status).toBe(206);
    expect(a.body.equals(DATA.subarray(10, 20))).toBe(true);
    expect(a.headers).toContain('Content-Range: bytes 10-19/1000');
  });
});
