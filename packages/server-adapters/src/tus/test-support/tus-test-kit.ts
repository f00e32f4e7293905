// Test helpers for the tus handler: a node:http server on 127.0.0.1 mounting the tus routes
// beside the plain handler (for GET /:id), a TCP proxy that cuts connections, patterned
// bytes. Not part of the package build.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUploadHandler } from '../../handler/create-upload-handler';
import type { HandlerOptions, TusOptions } from '../../handler/handler-types';
import { diskResumable } from '../../storage/disk-resumable';
import { diskStorage } from '../../storage/disk-storage';
import type { Storage } from '../../storage/storage';
import { createTusHandler, type TusHandler } from '../tus-handler';

export const BASE = '/files';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes that differ at every offset, seeded so each test has its own. */
export function patternBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

/** A small seeded PRNG (mulberry32): the same cuts on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'updown-tus-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TusTestServer {
  origin: string;
  /** `origin + BASE + '/tus'`. */
  endpoint: string;
  tus: TusHandler<null>;
  storage: Storage;
  close(): Promise<void>;
}

export interface TusServerOptions extends HandlerOptions<null> {
  /** A disk directory (restart-safe partials) or the storage to use. */
  directory?: string;
  tus?: TusOptions;
  port?: number;
}

/** The tus handler and the plain handler on one node:http server, mounted at `BASE`. */
export async function startTusServer(options: TusServerOptions): Promise<TusTestServer> {
  const { directory, tus: tusOptions = {}, port = 0, ...handlerOptions } = options;
  const storage = handlerOptions.storage ?? diskStorage({ directory: directory ?? '.' });
  const resumable =
    tusOptions.resumable ??
    (directory && !handlerOptions.storage ? diskResumable({ directory, fsync: false }) : undefined);
  const tus = createTusHandler<null>(storage, handlerOptions, {
    ...tusOptions,
    ...(resumable ? { resumable } : {}),
  });
  const plain = createUploadHandler<null>({ ...handlerOptions, storage });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const path = url.startsWith(BASE) ? url.slice(BASE.length) || '/' : null;
    const run = async () => {
      if (path !== null) {
        const context = { path, basePath: BASE, framework: null };
        if (await tus.handle(req, res, context)) return;
        if (await plain.handle(req, res, context)) return;
      }
      res.statusCode = 404;
      res.end();
    };
    run().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${bound}`;
  return {
    origin,
    endpoint: `${origin}${BASE}/tus`,
    tus,
    storage,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CutProxy {
  origin: string;
  /** Send new connections to another port (a restarted server). */
  setTarget(port: number): void;
  /** Called after each cut (to arm the next one). */
  onCut: (() => void) | null;
  /** Cut the connection that carries the client's next `bytes`-th byte from now; `null`: no cut. */
  cutAfter(bytes: number | null): void;
  readonly cuts: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that destroys a connection (both sides) once the client has sent
 * the armed number of bytes: a network failure at a chosen offset.
 */
export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let target = targetPort;
  let armed: number | null = null;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed === null) {
        upstream.write(chunk);
        return;
      }
      // Strictly inside the bytes: a request whose every byte went through is answered, so
      // a cut never lands exactly between a whole request and its answer.
      if (chunk.length > armed) {
        upstream.write(chunk.subarray(0, armed), () => setImmediate(cut));
        armed = null;
        cuts++;
        setImmediate(() => proxy.onCut?.());
        client.pause();
        return;
      }
      armed -= chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', () => {
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on('close', () => {
      client.destroy();
      sockets.delete(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: CutProxy = {
    origin: `http://127.0.0.1:${port}`,
    onCut: null,
    setTarget(next) {
      target = next;
    },
    cutAfter(bytes) {
      armed = bytes;
    },
    get cuts() {
      return cuts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
