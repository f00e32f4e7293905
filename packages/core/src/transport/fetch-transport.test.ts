import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Busboy, { type BusboyHeaders } from '@fastify/busboy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploader } from '../upload/uploader';
import { defaultTransport } from './default-transport';
import { fetchTransport } from './fetch-transport';
import type { TransportItem } from './transport';
import { UploadHttpError } from './upload-http-error';

interface Parsed {
  fields: Record<string, string>;
  files: { field: string; filename: string; mimetype: string; size: number; sha256: string }[];
}

interface Seen {
  bytes: number;
  contentLength: number;
  ended: boolean;
  closedBeforeEnd: boolean;
  aborted: boolean;
}

/** Parses the body with @fastify/busboy, and counts the raw bytes that came. */
function receive(req: IncomingMessage, seen: Seen): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    const parsed: Parsed = { fields: {}, files: [] };
    const busboy = new Busboy({ headers: req.headers as BusboyHeaders });
    busboy.on('field', (name, value) => {
      parsed.fields[name] = value;
    });
    busboy.on('file', (field, stream, filename, _encoding, mimetype) => {
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      stream.on('end', () => {
        parsed.files.push({ field, filename, mimetype, size, sha256: hash.digest('hex') });
      });
    });
    busboy.on('finish', () => resolve(parsed));
    busboy.on('error', reject);
    req.on('data', (chunk: Buffer) => {
      seen.bytes += chunk.length;
    });
    req.pipe(busboy);
  });
}

let server: Server;
let base: string;
const requests: Seen[] = [];
let slowReadDone: (() => void) | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const seen: Seen = {
      bytes: 0,
      contentLength: Number(req.headers['content-length'] ?? -1),
      ended: false,
      closedBeforeEnd: false,
      aborted: false,
    };
    requests.push(seen);
    req.on('end', () => {
      seen.ended = true;
    });
    req.on('aborted', () => {
      seen.aborted = true;
    });
    req.on('close', () => {
      if (!seen.ended) seen.closedBeforeEnd = true;
      if (req.url === '/slow') slowReadDone?.();
    });
    if (req.url === '/slow') {
      // Read a piece every 20 ms, so the upload is surely still going when cancelled.
      req.on('data', (chunk: Buffer) => {
        seen.bytes += chunk.length;
        req.pause();
        setTimeout(() => req.resume(), 20);
      });
      return;
    }
    if (req.url === '/reject') {
      req.resume();
      req.on('end', () => {
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'file-invalid-type', message: 'No PDFs here' } }));
      });
      return;
    }
    receive(req, seen).then(
      (parsed) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(parsed));
      },
      (error: Error) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'malformed-request', message: error.message } }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function itemOf(file: File, relativePath?: string): TransportItem {
  return {
    id: 'x',
    file,
    name: file.name,
    size: file.size,
    type: file.type,
    attempt: 1,
    ...(relativePath ? { relativePath } : {}),
  };
}

describe('fetchTransport against a real node:http server', () => {
  it('sends a well-formed multipart body, byte for byte, with progress to the total', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const file = new File([bytes], 'résumé "final".pdf', { type: 'application/pdf' });
    const progress: [number, number][] = [];
    const transport = fetchTransport<Parsed>({ endpoint: `${base}/upload`, fieldName: 'doc' });
    const answer = await transport(itemOf(file, 'cv/résumé.pdf'), {
      signal: new AbortController().signal,
      onProgress: (loaded, total) => progress.push([loaded, total]),
      metadata: { album: 'été', note: 'line1\r\nline2' },
    });
    const seen = requests.at(-1)!;
    expect(answer.fields).toEqual({
      album: 'été',
      note: 'line1\r\nline2',
      relativePath: 'cv/résumé.pdf',
    });
    expect(answer.files).toEqual([
      {
        field: 'doc',
        filename: 'résumé %22final%22.pdf',
        mimetype: 'application/pdf',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
    // Content-Length was computed up front and is exactly what came.
    expect(seen.bytes).toBe(seen.contentLength);
    const total = progress[0]![1];
    expect(total).toBe(seen.contentLength);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    }
  });

  it('sends an empty file', async () => {
    const transport = fetchTransport<Parsed>({ endpoint: `${base}/upload` });
    const answer = await transport(itemOf(new File([], 'empty.txt')), {
      signal: new AbortController().signal,
      onProgress: () => {},
      metadata: {},
    });
    expect(answer.files).toMatchObject([{ field: 'file', filename: 'empty.txt', size: 0 }]);
  });

  it('rejects with the server error code on a 4xx answer', async () => {
    const transport = fetchTransport({ endpoint: `${base}/reject` });
    const error = await transport(itemOf(new File(['%PDF'], 'a.pdf')), {
      signal: new AbortController().signal,
      onProgress: () => {},
      metadata: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadHttpError);
    expect(error).toMatchObject({
      status: 415,
      code: 'file-invalid-type',
      message: 'No PDFs here',
    });
  });

  it('cancel mid-upload is seen by the server as an aborted request', async () => {
    const closed = new Promise<void>((resolve) => {
      slowReadDone = resolve;
    });
    const controller = new AbortController();
    const file = new File([new Uint8Array(16 * 1024 * 1024)], 'big.bin');
    let last = 0;
    let afterAbort = 0;
    const transport = fetchTransport({ endpoint: `${base}/slow` });
    const sending = transport(itemOf(file), {
      signal: controller.signal,
      onProgress: (loaded) => {
        if (controller.signal.aborted) afterAbort++;
        last = loaded;
        if (loaded > 1024 * 1024) controller.abort();
      },
      metadata: {},
    });
    const error = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    await closed;
    const seen = requests.at(-1)!;
    expect(last).toBeLessThan(file.size / 2);
    expect(afterAbort).toBe(0);
    expect(seen.ended).toBe(false);
    expect(seen.closedBeforeEnd).toBe(true);
    expect(seen.bytes).toBeLessThan(seen.contentLength);
  });

  it('is what defaultTransport, passed to createUploader, sends with where there is no XMLHttpRequest', async () => {
    const up = createUploader<Parsed>({
      transport: defaultTransport({ endpoint: `${base}/upload` }),
      metadata: { a: '1' },
    });
    await up.add([new File(['hello'], 'hello.txt', { type: 'text/plain' })]);
    const [item] = await up.upload();
    expect(item).toMatchObject({ status: 'success', progress: { percent: 100 } });
    expect(item!.response).toMatchObject({ fields: { a: '1' }, files: [{ size: 5 }] });
    up.destroy();
  });
});
