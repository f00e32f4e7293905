// Debian's redis-server on 127.0.0.1 for tests: a free port, no persistence, stopped after.
// `scripts/ensure-redis.sh` installs it when it is missing, so `npm test` on a fresh machine
// needs nothing beforehand. Not part of the package build.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ENSURE_REDIS = fileURLToPath(new URL('../../../../scripts/ensure-redis.sh', import.meta.url));

function ensureRedis(): void {
  execFileSync('bash', [ENSURE_REDIS], { stdio: 'inherit' });
}

export interface RedisTestServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startRedis(): Promise<RedisTestServer> {
  ensureRedis();
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start: ${seen}`)),
      10_000,
    );
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
