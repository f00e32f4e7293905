// Test helpers for the framework-free handler: a plain node:http server on 127.0.0.1, raw
// multipart bodies, and a listing of the storage directory. Not part of the package build.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUploadHandler } from '../handler/create-upload-handler';
import type { HandlerOptions, UploadHandler } from '../handler/handler-types';
import { diskStorage } from '../storage/disk-storage';
import type { Storage } from '../storage/storage';

export const BASE = '/files';

export interface TestServer {
  origin: string;
  port: number;
  dir: string;
  handler: UploadHandler<null>;
  /** Bytes the server read from each closed socket, in the order they closed. */
  socketBytesRead: number[];
  /** Every entry under the storage directory (files and folders), sorted. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
}

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    out.push(e.isDirectory() ? `${rel}/` : rel);
    if (e.isDirectory()) out.push(...(await listTree(dir, rel)));
  }
  return out.sort();
}

export interface StartOptions extends HandlerOptions<null> {
  /** Wraps the disk storage, to count or break calls. */
  wrapStorage?: (storage: Storage) => Storage;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'updown-handler-'));
  const { wrapStorage = (s: Storage) => s, ...handlerOptions } = options;
  const handler = createUploadHandler<null>({
    storage: wrapStorage(diskStorage({ directory: dir })),
    // Deletes are refused without an authorize (that default has its own tests): here every
    // request is allowed unless a test says otherwise.
    authorize: () => true,
    ...handlerOptions,
  });
  const socketBytesRead: number[] = [];
  const seen = new WeakSet<object>();
  const server: Server = createServer((req, res) => {
    const socket = req.socket;
    if (!seen.has(socket)) {
      seen.add(socket);
      socket.once('close', () => socketBytesRead.push(socket.bytesRead));
    }
    const url = req.url ?? '/';
    if (!url.startsWith(`${BASE}/`)) {
      res.writeHead(404).end('outside');
      return;
    }
    handler
      .handle(req, res, { path: url.slice(BASE.length), basePath: BASE, framework: null })
      .then(
        (handled) => {
          if (!handled) res.writeHead(404, { 'X-Not-Handled': '1' }).end('not handled');
        },
        () => res.destroy(),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    dir,
    handler,
    socketBytesRead,
    snapshot: () => listTree(dir),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Part {
  name: string;
  filename?: string;
  /** Raw header value for `filename`, written as given (for hostile names). */
  rawFilename?: string;
  type?: string;
  data: string | Buffer;
}

export const BOUNDARY = '----updownTestBoundary7MA4YWxkTrZu0gW';

export function partHead(part: Part, boundary = BOUNDARY): Buffer {
  let disposition = `form-data; name="${part.name}"`;
  if (part.rawFilename !== undefined) disposition += `; filename="${part.rawFilename}"`;
  else if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
  const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
  if (part.type) lines.push(`Content-Type: ${part.type}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

/** A complete multipart/form-data body, built by hand. */
export function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(partHead(part, boundary), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): {
    error?: { code: string; message: string };
    files?: Record<string, unknown>[];
    fields?: Record<string, string>;
  };
}

/** One request through node:http, the body written in one go. */
export function send(
  server: TestServer,
  path: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export function upload(
  server: TestServer,
  parts: Part[],
  headers: Record<string, string> = {},
): Promise<Answer> {
  const body = multipart(parts);
  return send(server, `${BASE}/upload`, {
    method: 'POST',
    headers: { 'Content-Type': MULTIPART_TYPE, 'Content-Length': body.length, ...headers },
    body,
  });
}

export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  response: string;
  status: number;
  /** Bytes the client managed to hand to the socket before it closed. */
  bytesWritten: number;
}

/**
 * A raw TCP exchange: writes `head`, then calls `feed` to write the rest however it likes
 * (slowly, partly, never), and resolves when the server closes or `feed` ends the socket.
 */
export function rawExchange(
  server: TestServer,
  head: string,
  feed: (socket: import('node:net').Socket) => void | Promise<void>,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const response = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ response, status, bytesWritten: socket.bytesWritten });
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', finish);
    socket.on('end', () => socket.end());
    socket.once('connect', () => {
      socket.write(head);
      void feed(socket);
    });
  });
}

export function uploadHead(extra: string[] = [], contentType = MULTIPART_TYPE): string {
  return [
    `POST ${BASE}/upload HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Type: ${contentType}`,
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** Polls until `check` passes or the time is up; for cleanup that completes just after the answer. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
