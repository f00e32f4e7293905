import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { type AdapterName, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { failingStorage } from '../test-support/failing-storage';
import { multipart } from '../test-support/multipart';
import { rawRequest } from '../test-support/raw-http';
import { expectSettledTo, snapshot } from '../test-support/storage-snapshot';
import { patternBytes, prng, sha256, tempDir } from '../tus/test-support/tus-test-kit';

// The fault suite (issue 11): clients that vanish at seeded offsets, a disk that fills up
// mid-write, the working folder removed under a running server, and a server killed with
// SIGKILL mid-write then started again on the same folder. After each: nothing half-written
// is visible, and a tus upload resumes to the right SHA-256.

const ADAPTERS: AdapterName[] = ['express', 'fastify', 'koa'];
const BASE = '/api/files';
const H = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...H, 'Content-Type': 'application/offset+octet-stream' };
const CUTS = 4;

/** What the store serves: every name in its folder but the working one. */
async function visible(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== PARTIAL_DIR).sort();
}

async function createTus(endpoint: string, length: number): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { ...H, 'Upload-Length': String(length), 'Upload-Metadata': 'filename Y3V0LmJpbg==' },
  });
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location')!, endpoint).href;
}

async function offsetOf(url: string): Promise<number> {
  const head = await fetch(url, { method: 'HEAD', headers: H });
  expect(head.status).toBe(200);
  return Number(head.headers.get('upload-offset'));
}

function patchHead(path: string, offset: number, length: number): string {
  return [
    `PATCH ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Tus-Resumable: 1.0.0',
    'Content-Type: application/offset+octet-stream',
    `Upload-Offset: ${offset}`,
    `Content-Length: ${length}`,
  ].join('\r\n');
}

for (const name of ADAPTERS) {
  describe(`faults through ${name}`, () => {
    let dir: { dir: string; remove(): Promise<void> };
    let app: RunningApp;

    beforeAll(async () => {
      dir = await tempDir();
      await mkdir(join(dir.dir, PARTIAL_DIR), { recursive: true });
      app = await startApp(name, {
        basePath: BASE,
        options: {
          storage: diskStorage({ directory: dir.dir, fsync: false }),
          authorize: () => true,
        },
      });
    });
    afterAll(async () => {
      await app.close();
      await dir.remove();
    });

    it(`a multipart upload cut at ${CUTS} seeded offsets leaves nothing behind`, async () => {
      const random = prng(name.length * 104_729);
      const body = multipart([
        { name: 'note', data: 'cut' },
        { name: 'file', filename: 'cut.bin', data: patternBytes(700_000, 31) },
      ]);
      const before = await snapshot(dir.dir);
      for (let i = 0; i < CUTS; i++) {
        const cut = 1 + Math.floor(random() * (body.body.length - 1));
        await rawRequest({
          port: app.port,
          head: [
            `POST ${BASE}/upload HTTP/1.1`,
            'Host: 127.0.0.1',
            `Content-Type: ${body.contentType}`,
            `Content-Length: ${body.body.length}`,
          ].join('\r\n'),
          body: [body.body.subarray(0, cut)],
          afterBody: 'destroy',
        });
        expect(await expectSettledTo(dir.dir, before), `cut at ${cut}`).toEqual(before);
      }
    });

    it(`a tus upload cut at ${CUTS} seeded offsets resumes to the right SHA-256`, async () => {
      const random = prng(name.length * 7_919 + 1);
      const data = patternBytes(1_500_000, 32);
      const url = await createTus(`${app.base}/tus`, data.length);
      const path = new URL(url).pathname;
      const shown = await visible(dir.dir);
      let offset = 0;
      for (let i = 0; i < CUTS; i++) {
        const rest = data.length - offset;
        const cut = 1 + Math.floor(random() * (rest - 1));
        await rawRequest({
          port: app.port,
          head: patchHead(path, offset, rest),
          body: [data.subarray(offset, offset + cut)],
          afterBody: 'destroy',
        });
        // The lock makes HEAD wait for the cut PATCH to settle: its bytes are kept.
        const now = await offsetOf(url);
        expect(now).toBeGreaterThanOrEqual(offset);
        expect(now).toBeLessThanOrEqual(offset + cut);
        offset = now;
        expect(await visible(dir.dir)).toEqual(shown);
      }
      const last = await fetch(url, {
        method: 'PATCH',
        headers: { ...OCTETS, 'Upload-Offset': String(offset) },
        body: new Uint8Array(data.subarray(offset)),
      });
      expect(last.status).toBe(204);
      const got = await fetch(`${app.base}/${url.split('/').pop()}`);
      expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    });

    it('the working folder removed while the server runs: later uploads are stored', async () => {
      const upload = () =>
        postMultipart(`${app.base}/upload`, [
          { name: 'file', filename: 'after.bin', data: patternBytes(5000, 33) },
        ]);
      // Both sides of the store have used the folder before it goes.
      expect((await upload()).status).toBe(201);
      await createTus(`${app.base}/tus`, 10);
      await rm(join(dir.dir, PARTIAL_DIR), { recursive: true, force: true });
      expect((await upload()).status).toBe(201);
      await rm(join(dir.dir, PARTIAL_DIR), { recursive: true, force: true });
      const data = patternBytes(4000, 34);
      const url = await createTus(`${app.base}/tus`, data.length);
      const res = await fetch(url, {
        method: 'PATCH',
        headers: { ...OCTETS, 'Upload-Offset': '0' },
        body: new Uint8Array(data),
      });
      expect(res.status).toBe(204);
      const got = await fetch(`${app.base}/${url.split('/').pop()}`);
      expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    });
  });

  describe(`a disk that fills up mid-write, through ${name}`, () => {
    let dir: { dir: string; remove(): Promise<void> };
    let app: RunningApp;

    beforeAll(async () => {
      dir = await tempDir();
      await mkdir(join(dir.dir, PARTIAL_DIR), { recursive: true });
      app = await startApp(name, {
        basePath: BASE,
        options: {
          storage: failingStorage(diskStorage({ directory: dir.dir, fsync: false }), 100_000),
          authorize: () => true,
        },
      });
    });
    afterAll(async () => {
      await app.close();
      await dir.remove();
    });

    it('a multipart upload hitting ENOSPC is 500 storage-error in JSON, nothing left', async () => {
      const before = await snapshot(dir.dir);
      const answer = await postMultipart(`${app.base}/upload`, [
        { name: 'file', filename: 'full.bin', data: patternBytes(300_000, 35) },
      ]);
      expect(answer.status).toBe(500);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body.error?.code).toBe('storage-error');
      expect(answer.body.error?.message).not.toMatch(/ENOSPC|\//);
      expect(await expectSettledTo(dir.dir, before)).toEqual(before);
    });

    it('a tus PATCH hitting ENOSPC is 500 storage-error in JSON, its bytes dropped', async () => {
      const url = await createTus(`${app.base}/tus`, 300_000);
      const before = await snapshot(dir.dir);
      const res = await fetch(url, {
        method: 'PATCH',
        headers: { ...OCTETS, 'Upload-Offset': '0' },
        body: new Uint8Array(patternBytes(300_000, 36)),
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('tus-resumable')).toBe('1.0.0');
      expect((await res.json()).error.code).toBe('storage-error');
      expect(await offsetOf(url)).toBe(0);
      expect(await expectSettledTo(dir.dir, before)).toEqual(before);
    });
  });
}

describe('a server killed with SIGKILL mid-write, started again on the same folder', () => {
  // The built package in a process of its own (test-support/disk-app-server.mjs).
  const SCRIPT = fileURLToPath(new URL('../test-support/disk-app-server.mjs', import.meta.url));
  const children: ChildProcess[] = [];
  let dir: { dir: string; remove(): Promise<void> };

  async function startChild(): Promise<{ child: ChildProcess; port: number; base: string }> {
    const child = fork(SCRIPT, [], {
      env: { ...process.env, DIR: dir.dir },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    const [message] = (await once(child, 'message')) as [{ port: number }];
    return { child, port: message.port, base: `http://127.0.0.1:${message.port}${BASE}` };
  }

  /** A request whose head and first `bytes` go out; the socket stays open, as mid-upload. */
  function startSending(port: number, head: string, bytes: Uint8Array): Socket {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      socket.write(bytes);
    });
    return socket;
  }

  async function partialBytes(id?: string): Promise<number> {
    const names = await readdir(join(dir.dir, PARTIAL_DIR)).catch(() => [] as string[]);
    let total = 0;
    for (const n of names.filter((n) => !n.includes('.') && (id === undefined || n === id))) {
      total += (await stat(join(dir.dir, PARTIAL_DIR, n)).catch(() => ({ size: 0 }))).size;
    }
    return total;
  }

  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await dir.remove();
  });

  it('leaves nothing visible, and tus resumes from the stored offset to the right SHA-256', async () => {
    const first = await startChild();
    const data = patternBytes(8_000_000, 37);
    const url = await createTus(`${first.base}/tus`, data.length);
    const id = url.split('/').pop()!;
    const upload = multipart([
      { name: 'file', filename: 'killed.bin', data: patternBytes(8_000_000, 38) },
    ]);
    const sockets = [
      startSending(
        first.port,
        patchHead(new URL(url).pathname, 0, data.length),
        data.subarray(0, 3_500_000),
      ),
      startSending(
        first.port,
        [
          `POST ${BASE}/upload HTTP/1.1`,
          'Host: 127.0.0.1',
          `Content-Type: ${upload.contentType}`,
          `Content-Length: ${upload.body.length}`,
        ].join('\r\n'),
        upload.body.subarray(0, 3_500_000),
      ),
    ];
    // Both writes are under way on the disk: the tus bytes and the multipart file's.
    for (
      let i = 0;
      i < 200 &&
      ((await partialBytes(id)) === 0 || (await partialBytes()) <= (await partialBytes(id)));
      i++
    ) {
      await sleep(25);
    }
    expect(await partialBytes(id)).toBeGreaterThan(0);
    expect(await partialBytes()).toBeGreaterThan(await partialBytes(id));
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    for (const socket of sockets) socket.destroy();

    const second = await startChild();
    expect(await visible(dir.dir)).toEqual([]);
    expect((await fetch(`${second.base}/${id}`)).status).toBe(404);
    const offset = await offsetOf(`${second.base}/tus/${id}`);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(3_500_000);
    const rest = await fetch(`${second.base}/tus/${id}`, {
      method: 'PATCH',
      headers: { ...OCTETS, 'Upload-Offset': String(offset) },
      body: new Uint8Array(data.subarray(offset)),
    });
    expect(rest.status).toBe(204);
    const got = await fetch(`${second.base}/${id}`);
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    // Only the tus file is published; the killed multipart file never shows.
    expect(await visible(dir.dir)).toEqual([id, `${id}.json`].sort());
    second.child.kill('SIGKILL');
  }, 60_000);
});
