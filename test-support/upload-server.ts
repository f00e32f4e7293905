import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UploadServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Requests that ended in a response, by path. */
  readonly completed: string[];
  /** Requests whose client went away before the answer. */
  readonly aborted: string[];
  /** Answers every request held at `/hold`. */
  release(): void;
  /** Resolves when `check()` holds, polling; rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 for hook tests:
 * `POST /upload` answers 201 after reading the body;
 * `POST /hold` reads the body and answers only on `release()` (for cancel and unmount);
 * `POST /flaky` answers 500 the first time and 201 after;
 * `GET /file?size=N` sends N bytes with a length; any other GET is a 404.
 * Extra routes can be served with `extra(req, res)` returning true when it handled one.
 */
export async function startUploadServer(
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<UploadServer> {
  const completed: string[] = [];
  const aborted: string[] = [];
  const held: ServerResponse[] = [];
  let flakyCalls = 0;

  const answer = (res: ServerResponse, path: string, bytes: number) => {
    if (res.destroyed) return;
    res.writeHead(201, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify({ files: [{ id: `f${completed.length}`, size: bytes }], fields: {} }));
    completed.push(path);
  };

  const server = createServer((req, res) => {
    if (extra?.(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'POST, GET',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/file') {
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size') ?? '1024');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      res.end(Buffer.alloc(size, 7));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not-found', message: 'No such file' } }));
      return;
    }
    let bytes = 0;
    res.on('close', () => {
      if (!res.writableFinished) aborted.push(path);
    });
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      if (path === '/hold') {
        held.push(res);
      } else if (path === '/flaky' && flakyCalls++ === 0) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'storage-error', message: 'try again' } }));
      } else {
        answer(res, path, bytes);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    completed,
    aborted,
    release() {
      for (const res of held.splice(0)) answer(res, '/hold', 0);
    },
    async waitFor(check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('waitFor: timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
