import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileId } from '../storage/file-id';
import { type RedisTestServer, startRedis } from '../test-support/redis-server';
import { redisLocker } from './redis-locker';

let redis: RedisTestServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.close();
});

/** One app server's connection to the shared Redis. */
function client(): Redis {
  const c = new Redis(redis.port, '127.0.0.1', { lazyConnect: false });
  clients.push(c);
  return c;
}

describe('redisLocker', () => {
  it('holds across servers: the second waits for the first, or gives up at its timeout', async () => {
    const [a, b] = [redisLocker({ client: client() }), redisLocker({ client: client() })];
    const id = createFileId();
    const first = await a.acquire(id, 0);
    expect(first).not.toBeNull();
    expect(await b.acquire(id, 0)).toBeNull();
    const started = Date.now();
    expect(await b.acquire(id, 150)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const waiting = b.acquire(id, 2_000);
    setTimeout(() => void first?.(), 100);
    const second = await waiting;
    expect(second).not.toBeNull();
    expect(await a.acquire(id, 0)).toBeNull();
    await second?.();
    await second?.();
    const third = await a.acquire(id, 0);
    expect(third).not.toBeNull();
    await third?.();
  });

  it('a lock whose holder died expires with its lease; a live holder renews it', async () => {
    const id = createFileId();
    // A lease of 1 s, renewed every 333 ms: a stall of the test process under load (a few
    // hundred ms on a busy 2-core machine) neither lets the lease lapse nor outlasts it.
    const dead = redisLocker({ client: client(), leaseMs: 1_000 });
    const other = redisLocker({ client: client(), leaseMs: 1_000 });
    const c = client();
    // A holder that dies never releases: its key is set by hand, as a crashed server leaves it.
    await c.set(`updown:tus-lock:${id}`, 'gone', 'PX', 1_000);
    expect(await other.acquire(id, 0)).toBeNull();
    const later = await other.acquire(id, 5_000);
    expect(later).not.toBeNull();
    // Held for three leases: renewal keeps anyone else out all along.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await dead.acquire(id, 0)).toBeNull();
    await later?.();
    expect(await dead.acquire(id, 0)).not.toBeNull();
  });

  it('a late release never frees a lock that passed to someone else', async () => {
    const id = createFileId();
    const c = client();
    const slow = redisLocker({ client: c, leaseMs: 200 });
    const held = await slow.acquire(id, 0);
    // The renewal is stopped by hand, as when the holder's process stalls past its lease.
    await c.set(`updown:tus-lock:${id}`, 'someone-else', 'PX', 5_000);
    await held?.();
    expect(await c.get(`updown:tus-lock:${id}`)).toBe('someone-else');
  });

  it('works over node-redis style clients too (sendCommand)', async () => {
    const c = client();
    const locker = redisLocker({
      client: { sendCommand: (args) => c.call(args[0] as string, ...args.slice(1)) },
    });
    const id = createFileId();
    const release = await locker.acquire(id, 0);
    expect(await locker.acquire(id, 0)).toBeNull();
    await release?.();
    expect(await locker.acquire(id, 0)).not.toBeNull();
  });
});
