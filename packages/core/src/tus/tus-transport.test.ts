import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportContext, TransportItem } from '../transport/transport';
import { createUploader } from '../upload/uploader';
import { tusFetch } from './tus-http';
import { tusTransport } from './tus-transport';
import { memoryUrlStore } from './tus-url-store';

// tusTransport in Node (tusFetch: fetch with a streamed body) against an independent tus server:
// @tus/server with @tus/file-store. Faults are injected in front of it.

interface Peer {
  endpoint: string;
  dir: string;
  log: string[];
  /** Answer this request (by method) with a 500 before it reaches @tus/server. */
  failNext: Set<string>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startPeer(): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), 'updown-tus-peer-'));
  const tus = new TusServer({ path: '/files', datastore: new FileStore({ directory: dir }) });
  const log: string[] = [];
  const failNext = new Set<string>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? '';
    log.push(method);
    if (failNext.delete(method)) {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'Tus-Resumable': '1.0.0' });
        res.end();
      });
      return;
    }
    void tus.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const peer: Peer = {
    endpoint: `http://127.0.0.1:${port}/files`,
    dir,
    log,
    failNext,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  cleanups.push(peer.close);
  return peer;
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fileOf(bytes: Uint8Array, name = 'data.bin'): File {
  return new File([bytes as Uint8Array<ArrayBuffer>], name, {
    type: 'application/octet-stream',
    lastModified: 1_700_000_000_000,
  });
}

function itemOf(file: File, id = 'item-1'): TransportItem {
  return { id, file, name: file.name, size: file.size, type: file.type, attempt: 1 };
}

function contextOf(signal: AbortSignal, progress: number[] = []): TransportContext {
  return { signal, onProgress: (loaded) => progress.push(loaded), metadata: {} };
}

async function stored(peer: Peer, id: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(peer.dir, id)));
}

describe('tusTransport against @tus/server', () => {
  it('uploads byte-exact in chunks, progress rising to the size', async () => {
    const peer = await startPeer();
    const bytes = pattern(1_300_000, 3);
    const progress: number[] = [];
    const transport = tusTransport({
      endpoint: peer.endpoint,
      request: tusFetch(),
      chunkSize: 256 * 1024,
    });
    const result = await transport(
      itemOf(fileOf(bytes)),
      contextOf(new AbortController().signal, progress),
    );
    expect(result.size).toBe(bytes.length);
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
    expect(peer.log.filter((m) => m === 'PATCH').length).toBe(
      Math.ceil(bytes.length / (256 * 1024)),
    );
    expect(progress.at(-1)).toBe(bytes.length);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    // Bytes in flight are told, not only acknowledged chunks.
    expect(progress.some((p) => p % (256 * 1024) !== 0 && p !== bytes.length)).toBe(true);
    const info = JSON.parse(await readFile(join(peer.dir, `${result.id}.json`), 'utf8'));
    expect(info.metadata).toMatchObject({
      filename: 'data.bin',
      filetype: 'application/octet-stream',
    });
  });

  it('sends a small file with the creation request', async () => {
    const peer = await startPeer();
    const bytes = pattern(1000, 5);
    const result = await tusTransport({ endpoint: peer.endpoint, request: tusFetch() })(
      itemOf(fileOf(bytes)),
      contextOf(new AbortController().signal),
    );
    expect(peer.log).toEqual(['POST']);
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
  });

  it('retries a 5xx PATCH after asking the offset again', async () => {
    const peer = await startPeer();
    const bytes = pattern(700_000, 7);
    const transport = tusTransport({
      endpoint: peer.endpoint,
      request: tusFetch(),
      chunkSize: 200_000,
      retryDelays: [10, 10],
    });
    peer.failNext.add('PATCH');
    const result = await transport(itemOf(fileOf(bytes)), contextOf(new AbortController().signal));
    expect(peer.log).toContain('HEAD');
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
  });

  it('pauses (abort) and resumes from the offset the server reports, through createUploader', async () => {
    const peer = await startPeer();
    const bytes = pattern(3_000_000, 9);
    const uploader = createUploader({
      transport: tusTransport({
        endpoint: peer.endpoint,
        request: tusFetch(),
        chunkSize: 128 * 1024,
      }),
    });
    const { accepted } = await uploader.add([fileOf(bytes)]);
    const id = accepted[0]!.id;
    const done = uploader.upload();
    await new Promise<void>((resolve) => {
      const stop = uploader.subscribe((state) => {
        if ((state.items[0]?.progress.loaded ?? 0) > 500_000) {
          stop();
          resolve();
        }
      });
    });
    uploader.pause(id);
    expect(uploader.getState().items[0]!.status).toBe('paused');
    uploader.resume(id);
    await done;
    const item = uploader.getState().items[0]!;
    expect(item.status).toBe('success');
    expect(peer.log.filter((m) => m === 'POST')).toHaveLength(1);
    expect(peer.log).toContain('HEAD');
    expect(sha256(await stored(peer, (item.response as { id: string }).id))).toBe(sha256(bytes));
    uploader.destroy();
  });

  it('cancel through createUploader terminates the upload on the server (DELETE)', async () => {
    const peer = await startPeer();
    const bytes = pattern(3_000_000, 10);
    const uploader = createUploader({
      transport: tusTransport({
        endpoint: peer.endpoint,
        request: tusFetch(),
        chunkSize: 128 * 1024,
      }),
    });
    const { accepted } = await uploader.add([fileOf(bytes)]);
    const done = uploader.upload();
    await new Promise<void>((resolve) => {
      const stop = uploader.subscribe((state) => {
        if ((state.items[0]?.progress.loaded ?? 0) > 500_000) {
          stop();
          resolve();
        }
      });
    });
    uploader.cancel(accepted[0]!.id);
    await done;
    expect(uploader.getState().items[0]!.status).toBe('cancelled');
    await expect.poll(() => peer.log.filter((m) => m === 'DELETE').length).toBe(1);
    uploader.destroy();
  });

  it('resumes by fingerprint in a new transport sharing the URL store (a reload)', async () => {
    const peer = await startPeer();
    const bytes = pattern(2_000_000, 11);
    const urlStore = memoryUrlStore();
    const first = tusTransport({
      endpoint: peer.endpoint,
      request: tusFetch(),
      chunkSize: 256 * 1024,
      urlStore,
    });
    const controller = new AbortController();
    const progress: number[] = [];
    const failed = first(itemOf(fileOf(bytes), 'before-reload'), {
      signal: controller.signal,
      onProgress: (loaded) => {
        progress.push(loaded);
        if (loaded > 600_000) controller.abort('pause');
      },
      metadata: {},
    });
    await expect(failed).rejects.toMatchObject({ name: 'AbortError' });
    const patchesBefore = peer.log.filter((m) => m === 'PATCH').length;

    const second = tusTransport({
      endpoint: peer.endpoint,
      request: tusFetch(),
      chunkSize: 256 * 1024,
      urlStore,
    });
    const resumed: number[] = [];
    const result = await second(
      itemOf(fileOf(bytes), 'after-reload'),
      contextOf(new AbortController().signal, resumed),
    );
    expect(peer.log.filter((m) => m === 'POST')).toHaveLength(1);
    expect(resumed[0]).toBe(0);
    expect(resumed[1]!).toBeGreaterThan(500_000);
    expect(peer.log.filter((m) => m === 'PATCH').length - patchesBefore).toBeLessThan(
      Math.ceil(bytes.length / (256 * 1024)),
    );
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
    // Done: the fingerprint is forgotten.
    expect(
      await urlStore.get(
        `tus::data.bin::${bytes.length}::application/octet-stream::1700000000000::${peer.endpoint}`,
      ),
    ).toBeNull();
  });

  it('starts over with a new upload when the stored one is gone from the server (HEAD 404)', async () => {
    const peer = await startPeer();
    const bytes = pattern(300_000, 5);
    const urlStore = memoryUrlStore();
    const fingerprint = `tus::data.bin::${bytes.length}::application/octet-stream::1700000000000::${peer.endpoint}`;
    await urlStore.set(fingerprint, `${peer.endpoint}/no-such-upload`);
    const transport = tusTransport({ endpoint: peer.endpoint, request: tusFetch(), urlStore });
    const result = await transport(itemOf(fileOf(bytes)), contextOf(new AbortController().signal));
    expect(peer.log.slice(0, 2)).toEqual(['HEAD', 'POST']);
    expect(result.uploadUrl).not.toContain('no-such-upload');
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
    expect(await urlStore.get(fingerprint)).toBeNull();
  });

  it('terminates the upload (DELETE) when aborted with reason "cancel", keeps it on "pause"', async () => {
    const peer = await startPeer();
    const bytes = pattern(1_000_000, 13);
    const transport = tusTransport({
      endpoint: peer.endpoint,
      request: tusFetch(),
      chunkSize: 100_000,
    });
    for (const reason of ['pause', 'cancel'] as const) {
      const controller = new AbortController();
      const run = transport(itemOf(fileOf(bytes), reason), {
        signal: controller.signal,
        onProgress: (loaded) => {
          if (loaded >= 300_000) controller.abort(reason);
        },
        metadata: {},
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(peer.log.filter((m) => m === 'DELETE')).toHaveLength(1);
  });
});

describe('tusTransport reads the file by chunks', () => {
  it('slices at most chunkSize bytes per request and never reads the whole file', async () => {
    const peer = await startPeer();
    const bytes = pattern(2_000_000, 17);
    const file = fileOf(bytes);
    const slices: number[] = [];
    // Every read of the file goes through slice(): record how much each one asks for.
    const watched = new Proxy(file, {
      get(target, key) {
        if (key === 'slice') {
          return (start?: number, end?: number) => {
            slices.push((end ?? target.size) - (start ?? 0));
            return target.slice(start, end);
          };
        }
        if (key === 'arrayBuffer' || key === 'stream' || key === 'text' || key === 'bytes') {
          throw new Error(`the whole file was read by ${String(key)}`);
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const chunkSize = 300_000;
    const result = await tusTransport({ endpoint: peer.endpoint, request: tusFetch(), chunkSize })(
      itemOf(watched as File),
      contextOf(new AbortController().signal),
    );
    expect(sha256(await stored(peer, result.id))).toBe(sha256(bytes));
    expect(slices.length).toBe(Math.ceil(bytes.length / chunkSize));
    expect(Math.max(...slices)).toBeLessThanOrEqual(chunkSize);
  });
});

describe('tusTransport setup errors', () => {
  it('fails with missing-transport where there is no XMLHttpRequest and no request, without retrying', async () => {
    expect(typeof XMLHttpRequest).toBe('undefined');
    const uploader = createUploader({
      transport: tusTransport({ endpoint: 'http://tus.test/files', storeFingerprint: false }),
    });
    await uploader.add([fileOf(pattern(10, 1))]);
    const [item] = await uploader.upload();
    expect(item!.status).toBe('error');
    expect(item!.error?.code).toBe('missing-transport');
    expect(item!.error?.message).toContain('tusFetch()');
    expect(item!.attempts).toBe(1);
    uploader.destroy();
  });

  it('refuses a relative endpoint outside browsers without retrying', async () => {
    const uploader = createUploader({
      transport: tusTransport({ endpoint: '/files', request: tusFetch() }),
    });
    await uploader.add([fileOf(pattern(10, 1))]);
    const [item] = await uploader.upload();
    expect(item!.status).toBe('error');
    expect(item!.error?.code).toBe('invalid-endpoint');
    expect(item!.attempts).toBe(1);
    uploader.destroy();
  });
});

describe('tusTransport retries once, not again under the uploader', () => {
  /** A tus server that answers `failing` requests 500 for ever, and counts every request by method. */
  function brokenPeer(failing: 'POST' | 'PATCH') {
    const counts: Record<string, number> = {};
    const doFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      counts[method] = (counts[method] ?? 0) + 1;
      const tus = { 'Tus-Resumable': '1.0.0' };
      if (method === failing) return new Response(null, { status: 500, headers: tus });
      if (method === 'POST') {
        return new Response(null, {
          status: 201,
          headers: { ...tus, Location: 'http://tus.test/files/abc', 'Upload-Offset': '0' },
        });
      }
      if (method === 'HEAD') {
        return new Response(null, { status: 200, headers: { ...tus, 'Upload-Offset': '0' } });
      }
      return new Response(null, { status: 204, headers: tus });
    }) as typeof fetch;
    return { counts, doFetch };
  }

  const retryDelays = [0, 5, 5, 5];

  it('marks itself as retrying by itself', () => {
    expect(tusTransport({ endpoint: 'http://tus.test/files' }).retriesItself).toBe(true);
  });

  it('a creation that always answers 500 is tried retryDelays.length + 1 times in all', async () => {
    const peer = brokenPeer('POST');
    const uploader = createUploader({
      transport: tusTransport({
        endpoint: 'http://tus.test/files',
        request: tusFetch(peer.doFetch),
        storeFingerprint: false,
        retryDelays,
      }),
      // The uploader's own budget would have tried the whole tus sequence 3 times.
      retry: { attempts: 3, delay: () => 0 },
    });
    await uploader.add([fileOf(pattern(1000, 21))]);
    const [item] = await uploader.upload();
    expect(peer.counts.POST).toBe(retryDelays.length + 1);
    expect(item).toMatchObject({ status: 'error', attempts: 1, error: { status: 500 } });
    uploader.destroy();
  });

  it('PATCHes that always answer 500 are tried retryDelays.length + 1 times; retry(id) sends once more', async () => {
    const peer = brokenPeer('PATCH');
    const uploader = createUploader({
      transport: tusTransport({
        endpoint: 'http://tus.test/files',
        request: tusFetch(peer.doFetch),
        storeFingerprint: false,
        uploadDataDuringCreation: false,
        retryDelays,
      }),
    });
    const { accepted } = await uploader.add([fileOf(pattern(1000, 22))]);
    const [item] = await uploader.upload();
    expect(peer.counts).toMatchObject({ POST: 1, PATCH: retryDelays.length + 1 });
    // Each try after the first asks the offset again.
    expect(peer.counts.HEAD).toBe(retryDelays.length);
    expect(item).toMatchObject({ status: 'error', attempts: 1, error: { status: 500 } });

    uploader.retry(accepted[0]!.id);
    await uploader.upload(accepted[0]!.id);
    expect(peer.counts).toMatchObject({ POST: 1, PATCH: 2 * (retryDelays.length + 1) });
    expect(uploader.getState().items[0]).toMatchObject({ status: 'error', attempts: 2 });
    uploader.destroy();
  });
});
