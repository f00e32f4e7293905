import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { ALL_ADAPTERS, type TableParts } from '../test-support/apps';
import { type RedisTestServer, startRedis } from '../test-support/redis-server';
import { redisLocker } from '../tus/redis-locker';
import { directApps } from './test-support/direct-apps';
import {
  directClient,
  type MultipartCreated,
  type PutCreated,
  patternBytes,
  putTo,
  sendParts,
} from './test-support/direct-client';

// Requests about one direct upload at the same moment, over real HTTP against s3rver: each
// holds the upload's lock (this process's, and redisLocker's across app servers), so two
// completions publish once and answer alike, and a completion racing an abort has one winner.

const MiB = 1024 * 1024;
const kit = directApps('race');
const { setup } = kit;

/**
 * Stops the first request of one operation inside `authorize` (so holding the upload's lock)
 * until `open()`; `reached` resolves once it stands there.
 */
function gate(match: string | ((ctx: { operation: string; file?: unknown }) => boolean)) {
  const stops =
    typeof match === 'string' ? (ctx: { operation: string }) => ctx.operation === match : match;
  let open = () => {};
  let arrive = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  let used = false;
  return {
    reached,
    open: () => open(),
    async authorize(ctx: { operation: string; file?: unknown }): Promise<true> {
      if (!used && stops(ctx)) {
        used = true;
        arrive();
        await opened;
      }
      return true;
    },
  };
}

/** `'waiting'` when `answer` has not settled within `ms`. */
async function stillWaiting(answer: Promise<unknown>, ms = 300): Promise<string> {
  const timer = new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), ms));
  return Promise.race([answer.then(() => 'answered'), timer]);
}

/** A small file declared and PUT to its presigned URL: ready to complete. */
async function putReady(client: ReturnType<typeof directClient>, name = 'r.txt') {
  const put = (await client.create({ name, size: 3, type: 'text/plain', fields: { k: 'v' } }))
    .body as PutCreated;
  expect((await putTo(put.url, Buffer.from('abc'), put.headers)).status).toBe(200);
  return put;
}

describe.each(ALL_ADAPTERS)('one direct upload, two requests at once, on %s', (name) => {
  it('two completions: the second waits for the first, publishes nothing, answers the same 201', async () => {
    const held = gate('direct-complete');
    const told: string[] = [];
    const s = await setup(name, {
      authorize: held.authorize,
      onUploaded: (file) => {
        told.push(file.id);
      },
    });
    const put = await putReady(s.client);
    const first = s.client.complete(put.id);
    await held.reached;
    const second = s.client.complete(put.id);
    expect(await stillWaiting(second)).toBe('waiting');
    held.open();
    const [one, two] = await Promise.all([first, second]);
    expect(one.status).toBe(201);
    expect(two).toEqual(one);
    expect(one.body.files[0]).toMatchObject({ id: put.id, size: 3, name: 'r.txt' });
    expect(told).toEqual([put.id]);
    // Asked again later (a lost answer): still the same.
    expect(await s.client.complete(put.id)).toEqual(one);
    expect(told).toEqual([put.id]);
    expect((await s.leftovers()).sort()).toEqual(
      [
        `${s.prefix}.direct/${put.id}.json`,
        `${s.prefix}${put.id}`,
        `${s.prefix}${put.id}.json`,
      ].sort(),
    );
  });

  it('a completion, then an abort: the completion wins, the abort is 409, the file stays', async () => {
    const held = gate('direct-complete');
    const s = await setup(name, { authorize: held.authorize });
    const put = await putReady(s.client);
    const completing = s.client.complete(put.id);
    await held.reached;
    const aborting = s.client.abort(put.id);
    expect(await stillWaiting(aborting)).toBe('waiting');
    held.open();
    expect((await completing).status).toBe(201);
    const aborted = await aborting;
    expect(aborted.status).toBe(409);
    expect(aborted.body).toMatchObject({ error: { code: 'upload-completed' } });
    const back = await fetch(`${s.app.base}/${put.id}`);
    expect(await back.text()).toBe('abc');
  });

  it('an abort, then a completion: the abort wins, the completion is 404, nothing left', async () => {
    const held = gate('direct-abort');
    const s = await setup(name, { authorize: held.authorize });
    const put = await putReady(s.client);
    const aborting = s.client.abort(put.id);
    await held.reached;
    const completing = s.client.complete(put.id);
    expect(await stillWaiting(completing)).toBe('waiting');
    held.open();
    expect((await aborting).status).toBe(204);
    const completed = await completing;
    expect(completed.status).toBe(404);
    expect(completed.body).toMatchObject({ error: { code: 'not-found' } });
    expect(await s.leftovers()).toEqual([]);
    expect((await fetch(`${s.app.base}/${put.id}`)).status).toBe(404);
  });
});

describe('direct uploads under the lock and the upload slots', () => {
  it('two completions of a multipart upload at once, ungated: one publish, both 201, the bytes whole', async () => {
    const told: string[] = [];
    const s = await setup('express', { onUploaded: (file) => void told.push(file.id) });
    const bytes = patternBytes(10 * MiB + 7, 9);
    const multipart = (await s.client.create({ name: 'm.bin', size: bytes.length }))
      .body as MultipartCreated;
    await sendParts(s.client, multipart, bytes, [1, 2, 3]);
    const answers = await Promise.all([
      s.client.complete(multipart.id),
      s.client.complete(multipart.id),
      s.client.complete(multipart.id),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(told).toEqual([multipart.id]);
    const back = Buffer.from(await (await fetch(`${s.app.base}/${multipart.id}`)).arrayBuffer());
    expect(back.equals(bytes)).toBe(true);
    expect((await s.leftovers()).sort()).toEqual(
      [
        `${s.prefix}.direct/${multipart.id}.json`,
        `${s.prefix}${multipart.id}`,
        `${s.prefix}${multipart.id}.json`,
      ].sort(),
    );
  });

  it('a signing held up makes a completion wait, and after a completion there is nothing to sign', async () => {
    // The first signing of parts (a creation is a direct-sign too, without ctx.file).
    const held = gate((ctx) => ctx.operation === 'direct-sign' && ctx.file !== undefined);
    const s = await setup('fastify', { authorize: held.authorize });
    const bytes = patternBytes(6 * MiB, 10);
    const multipart = (await s.client.create({ name: 's.bin', size: bytes.length }))
      .body as MultipartCreated;
    const signing = s.client.signParts(multipart.id, [1, 2]);
    await held.reached;
    const completing = s.client.complete(multipart.id);
    expect(await stillWaiting(completing)).toBe('waiting');
    held.open();
    expect((await signing).status).toBe(200);
    // Nothing was sent to those URLs: the completion finds the parts missing, the upload kept.
    expect((await completing).status).toBe(400);
    await sendParts(s.client, multipart, bytes, [1, 2]);
    expect((await s.client.complete(multipart.id)).status).toBe(201);
    expect((await s.client.signParts(multipart.id, [1])).status).toBe(404);
    expect((await s.client.listParts(multipart.id)).status).toBe(404);
  });

  it('a request that waits past tus.lockTimeoutMs is 423 locked, and the upload is untouched', async () => {
    const held = gate('direct-complete');
    const s = await setup('koa', { authorize: held.authorize, tus: { lockTimeoutMs: 200 } });
    const put = await putReady(s.client);
    const first = s.client.complete(put.id);
    await held.reached;
    const late = await s.client.abort(put.id);
    expect(late.status).toBe(423);
    expect(late.body).toMatchObject({ error: { code: 'locked' } });
    held.open();
    expect((await first).status).toBe(201);
  });

  it('a completion takes one of limits.concurrentUploads: past it, 503 server-busy with Retry-After', async () => {
    let release = () => {};
    const releasing = new Promise<void>((resolve) => (release = resolve));
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const s = await setup('fetch', {
      limits: { concurrentUploads: 1 },
      onUploaded: async (file) => {
        if (file.name !== 'slow.txt') return;
        arrive();
        await releasing;
      },
    });
    const slow = await putReady(s.client, 'slow.txt');
    const next = await putReady(s.client, 'next.txt');
    const holding = s.client.complete(slow.id);
    await arrived;
    const busy = await fetch(`${s.app.base}/direct/${next.id}/complete`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(await busy.json()).toMatchObject({ error: { code: 'server-busy' } });
    // An upload through the server shares the same slots.
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    expect((await fetch(`${s.app.base}/upload`, { method: 'POST', body: form })).status).toBe(503);
    // Signing does no work on the bytes: it takes no slot.
    expect((await s.client.create({ name: 'c.txt', size: 1, type: 'text/plain' })).status).toBe(
      201,
    );
    release();
    expect((await holding).status).toBe(201);
    expect((await s.client.complete(next.id)).status).toBe(201);
    // Asked again, a completion answers from the record and needs no slot either.
    expect((await s.client.complete(slow.id)).status).toBe(201);
  });
});

describe('two app servers sharing one bucket and one Redis (redisLocker)', () => {
  let redis: RedisTestServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.close();
  });

  /** One app server: its own handler (and in-process locks), the shared bucket and Redis. */
  async function appServer(prefix: string, options: HandlerOptions<null> = {}): Promise<string> {
    const client = new Redis(redis.port, '127.0.0.1');
    clients.push(client);
    const locker = redisLocker({ client, retryMs: 10 });
    return (await kit.serve({ ...options, tus: { locker } }, prefix)).base;
  }

  it('a completion on one and an abort on the other: one winner, then the other way round', async () => {
    const prefix = kit.prefix();
    // The gate of the moment: first a completion is held, then an abort.
    let held = gate('direct-complete');
    const authorize = (ctx: HandlerContext<null, TableParts>) => held.authorize(ctx);
    const a = directClient(await appServer(prefix, { authorize }));
    const b = directClient(await appServer(prefix, { authorize }));
    const leftovers = () => kit.leftovers(prefix);

    const won = await putReady(a, 'won.txt');
    const completing = a.complete(won.id);
    await held.reached;
    const aborting = b.abort(won.id);
    expect(await stillWaiting(aborting)).toBe('waiting');
    held.open();
    expect((await completing).status).toBe(201);
    expect((await aborting).status).toBe(409);

    const lost = await putReady(b, 'lost.txt');
    held = gate('direct-abort');
    const aborted = b.abort(lost.id);
    await held.reached;
    const late = a.complete(lost.id);
    expect(await stillWaiting(late)).toBe('waiting');
    held.open();
    expect((await aborted).status).toBe(204);
    expect((await late).status).toBe(404);
    expect((await leftovers()).sort()).toEqual(
      [`${prefix}.direct/${won.id}.json`, `${prefix}${won.id}`, `${prefix}${won.id}.json`].sort(),
    );
  });

  it('two completions of a multipart upload, one on each server at once: one publish, the same 201', async () => {
    const prefix = kit.prefix();
    const told: string[] = [];
    const onUploaded = (file: { id: string }) => void told.push(file.id);
    const a = directClient(await appServer(prefix, { onUploaded }));
    const b = directClient(await appServer(prefix, { onUploaded }));
    const bytes = patternBytes(10 * MiB + 3, 11);
    const multipart = (await a.create({ name: 'f.bin', size: bytes.length }))
      .body as MultipartCreated;
    await sendParts(b, multipart, bytes, [1, 2, 3]);
    const [one, two] = await Promise.all([a.complete(multipart.id), b.complete(multipart.id)]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two).toEqual(one);
    expect(told).toEqual([multipart.id]);
    expect(await kit.leftovers(prefix)).toEqual([
      `${prefix}.direct/${multipart.id}.json`,
      `${prefix}${multipart.id}`,
      `${prefix}${multipart.id}.json`,
    ]);
  });
});
