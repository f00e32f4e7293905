import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/handler-test-kit';
import { type RedisTestServer, startRedis } from '../test-support/redis-server';
import { type S3TestServer, startS3Server } from './test-support/s3-server';

// App servers in processes of their own (the built package), sharing one bucket and one Redis.
const SCRIPT = fileURLToPath(new URL('../test-support/s3-app-server.mjs', import.meta.url));
const MiB = 1024 * 1024;
const TUS = { 'Tus-Resumable': '1.0.0' };
const PREFIX = 'fleet/';

let s3: S3TestServer;
let redis: RedisTestServer;
const children: ChildProcess[] = [];

interface App {
  child: ChildProcess;
  base: string;
  port: number;
}

async function startApp(env: Record<string, string> = {}): Promise<App> {
  const child = fork(SCRIPT, [], {
    env: {
      ...process.env,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_PREFIX: PREFIX,
      REDIS_PORT: String(redis.port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  // A child that dies before telling its port (a broken build) fails the start at once, not
  // after the hook's timeout.
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`the app server exited (${signal ?? code}) before telling its port`);
  });
  const [message] = (await Promise.race([once(child, 'message'), exited])) as [{ port: number }];
  exited.catch(() => {});
  return { child, port: message.port, base: `http://127.0.0.1:${message.port}/api/files` };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await once(child, 'exit');
}

let a: App;
let b: App;

beforeAll(async () => {
  [s3, redis] = await Promise.all([startS3Server(), startRedis()]);
  [a, b] = await Promise.all([startApp(), startApp()]);
}, 30_000);

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)));
  await Promise.all([s3?.close(), redis?.close()]);
});

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + seed * 7 + (i >> 11)) & 255;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function multipartBody(name: string, data: Buffer): { body: Buffer; type: string } {
  const boundary = 'fleet-boundary-42';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function createTus(app: App, length: number): Promise<string> {
  const res = await fetch(`${app.base}/tus`, {
    method: 'POST',
    headers: { ...TUS, 'Upload-Length': String(length), 'Upload-Metadata': 'filename YS5iaW4=' },
  });
  expect(res.status).toBe(201);
  return (res.headers.get('location') ?? '').split('/').pop() ?? '';
}

function patch(app: App, id: string, offset: number, body: Uint8Array) {
  return fetch(`${app.base}/tus/${id}`, {
    method: 'PATCH',
    headers: {
      ...TUS,
      'Content-Type': 'application/offset+octet-stream',
      'Upload-Offset': String(offset),
    },
    body: new Uint8Array(body),
  });
}

/** A PATCH sent in two halves, the second once `rest` resolves. Resolves with the status. */
function slowPatch(app: App, id: string, body: Buffer, rest: Promise<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: app.port,
        method: 'PATCH',
        path: `/api/files/tus/${id}`,
        headers: {
          ...TUS,
          'Content-Type': 'application/offset+octet-stream',
          'Upload-Offset': '0',
          'Content-Length': body.length,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, body.length / 2));
    rest.then(() => req.end(body.subarray(body.length / 2)), reject);
  });
}

describe('two app servers in two processes, one bucket', () => {
  it('one receives a multipart upload; the other serves it, by ranges too, and deletes it', async () => {
    const data = pattern(7 * MiB + 11, 1);
    const { body, type } = multipartBody('big.bin', data);
    const posted = await fetch(`${a.base}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: new Uint8Array(body),
    });
    expect(posted.status).toBe(201);
    const [file] = ((await posted.json()) as { files: { id: string; sha256: string }[] }).files;
    expect(file?.sha256).toBe(sha256(data));
    const id = file?.id as string;

    const whole = await fetch(`${b.base}/${id}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    const etag = whole.headers.get('etag');
    expect(etag).toBe(`"${sha256(data)}"`);
    const range = await fetch(`${b.base}/${id}`, {
      headers: { Range: `bytes=${5 * MiB - 3}-${5 * MiB + 3}` },
    });
    expect(range.status).toBe(206);
    expect(
      Buffer.from(await range.arrayBuffer()).equals(data.subarray(5 * MiB - 3, 5 * MiB + 4)),
    ).toBe(true);
    const head = await fetch(`${a.base}/${id}`, { method: 'HEAD' });
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-length')).toBe(String(data.length));
    expect(head.headers.get('last-modified')).toBe(whole.headers.get('last-modified'));
    expect(
      (await fetch(`${b.base}/${id}`, { headers: { 'If-None-Match': etag ?? '' } })).status,
    ).toBe(304);

    expect((await fetch(`${b.base}/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${a.base}/${id}`)).status).toBe(404);
    expect((await s3.keys()).filter((k) => k.includes(id))).toEqual([]);
  });

  it('a tus upload whose PATCHes alternate between the servers, chunks under 5 MiB and over', async () => {
    const data = pattern(14 * MiB + 5, 2);
    const id = await createTus(a, data.length);
    const cuts = [0, 1 * MiB, 2 * MiB + 7, 3 * MiB, 9 * MiB, 13 * MiB, data.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const app = i % 2 === 0 ? a : b;
      const res = await patch(app, id, cuts[i] as number, data.subarray(cuts[i], cuts[i + 1]));
      expect(res.status).toBe(204);
      expect(res.headers.get('upload-offset')).toBe(String(cuts[i + 1]));
      const other = await fetch(`${(i % 2 === 0 ? b : a).base}/tus/${id}`, {
        method: 'HEAD',
        headers: TUS,
      });
      expect(other.headers.get('upload-offset')).toBe(String(cuts[i + 1]));
    }
    const back = await fetch(`${b.base}/${id}`);
    expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
    expect(back.headers.get('etag')).toBe(`"${sha256(data)}"`);
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect((await s3.keys()).filter((k) => k.includes(id)).sort()).toEqual(
      [`${PREFIX}${id}`, `${PREFIX}${id}.json`].sort(),
    );
  });

  it('two PATCHes for one upload from the two servers at once: one wins, the other is refused, the file intact', async () => {
    // Longer than either body, so the upload is still open when the loser gets the lock.
    const length = 4 * MiB;
    const id = await createTus(a, length);
    const first = Buffer.alloc(3 * MiB, 0xaa);
    const second = Buffer.alloc(3 * MiB, 0xbb);
    let finish = () => {};
    const winner = slowPatch(a, id, first, new Promise<void>((r) => (finish = r)));
    // The loser is sent once the winner holds the shared lock, not a guessed 150 ms later: a
    // process not scheduled for that long on a busy machine let the loser win (409 for `a`).
    const holder = new Redis(redis.port, '127.0.0.1');
    try {
      const held = () => holder.exists(`updown:tus-lock:${id}`).then((n) => n === 1);
      expect(await eventually(held, 10_000)).toBe(true);
    } finally {
      holder.disconnect();
    }
    const loser = slowPatch(b, id, second, Promise.resolve());
    setTimeout(finish, 600);
    const statuses = await Promise.all([winner, loser]);
    expect(statuses[0]).toBe(204);
    // It waited for the lock, then found the offset moved (409), or gave up waiting (423).
    expect([409, 423]).toContain(statuses[1]);
    const rest = Buffer.alloc(MiB, 0xcc);
    expect((await patch(b, id, first.length, rest)).status).toBe(204);
    const back = await fetch(`${b.base}/${id}`);
    expect(Buffer.from(await back.arrayBuffer()).equals(Buffer.concat([first, rest]))).toBe(true);
  });

  it('a server killed mid-upload leaves no object; the next start aborts its multipart upload', async () => {
    const victim = await startApp();
    const before = await s3.keys();
    const data = pattern(12 * MiB, 3);
    const { body, type } = multipartBody('cut.bin', data);
    const req = request({
      host: '127.0.0.1',
      port: victim.port,
      method: 'POST',
      path: '/api/files/upload',
      headers: { 'Content-Type': type, 'Content-Length': body.length },
    });
    req.on('error', () => {});
    req.write(body.subarray(0, 8 * MiB));
    // Past one 5 MiB part: the multipart upload exists, with a part in it.
    expect(await eventually(async () => (await s3.uploadsInProgress()).length === 1, 10_000)).toBe(
      true,
    );
    await stop(victim.child, 'SIGKILL');
    req.destroy();
    expect(await s3.keys()).toEqual(before);
    expect(await s3.uploadsInProgress()).toHaveLength(1);

    // A server whose uploads expire after 300 ms calls a multipart upload that old abandoned,
    // and drops what is that old once when it starts: the sweep then finds nothing left.
    await new Promise((r) => setTimeout(r, 1_100));
    const sweeper = await startApp({ EXPIRATION_MS: '300' });
    expect(await eventually(async () => (await s3.uploadsInProgress()).length === 0, 10_000)).toBe(
      true,
    );
    sweeper.child.send('sweep');
    const [answer] = (await once(sweeper.child, 'message')) as [{ swept: number }];
    expect(answer.swept).toBe(0);
    expect(await s3.uploadsInProgress()).toEqual([]);
    expect(await s3.keys()).toEqual(before);
  });
});
