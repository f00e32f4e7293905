import { randomBytes } from 'node:crypto';
import type { Locker, Release } from '../handler/handler-types';

/**
 * A Redis client as the locker uses it: one command at a time, its arguments as strings.
 * ioredis (`call`) and node-redis (`sendCommand`) both fit as they are.
 */
export type RedisClientLike =
  | { call(command: string, ...args: string[]): Promise<unknown> }
  | { sendCommand(args: string[]): Promise<unknown> };

export interface RedisLockerOptions {
  client: RedisClientLike;
  /** Put before every lock key. Defaults to `'updown:tus-lock:'`. */
  prefix?: string;
  /**
   * How long a lock outlives a server that died holding it. Renewed every third of it
   * while held. Defaults to 30 s.
   */
  leaseMs?: number;
  /** How often a waiter tries again. Defaults to 50 ms. */
  retryMs?: number;
}

// Compare-and-delete / compare-and-extend: a lock is only ever released or renewed by the
// holder whose random token it still carries, never after its lease passed to another.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * tus locks shared by every app server that reaches one Redis: `SET key token NX PX lease`
 * to take one, a lease renewed while the request runs, a compare-and-delete to give it
 * back. Waiters poll every `retryMs` until `timeoutMs` (then 423). Within one process the
 * in-process locker still orders requests first, so only one of them polls Redis.
 */
export function redisLocker(options: RedisLockerOptions): Locker {
  const { client } = options;
  const prefix = options.prefix ?? 'updown:tus-lock:';
  const leaseMs = options.leaseMs ?? 30_000;
  const retryMs = options.retryMs ?? 50;
  const send = (args: string[]): Promise<unknown> =>
    'call' in client ? client.call(args[0] as string, ...args.slice(1)) : client.sendCommand(args);

  async function take(key: string, token: string): Promise<boolean> {
    return (await send(['SET', key, token, 'NX', 'PX', String(leaseMs)])) === 'OK';
  }

  return {
    async acquire(id, timeoutMs): Promise<Release | null> {
      const key = `${prefix}${id}`;
      const token = randomBytes(16).toString('hex');
      const deadline = Date.now() + timeoutMs;
      while (!(await take(key, token))) {
        if (Date.now() >= deadline) return null;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(retryMs, deadline - Date.now())),
        );
      }
      const renewal = setInterval(() => {
        void send(['EVAL', RENEW, '1', key, token, String(leaseMs)]).catch(() => {});
      }, leaseMs / 3);
      renewal.unref();
      let released: Promise<void> | null = null;
      return () => {
        released ??= (async () => {
          clearInterval(renewal);
          await send(['EVAL', RELEASE, '1', key, token]).catch(() => {});
        })();
        return released;
      };
    },
  };
}
