// Builds this example with `next build` and serves it with `next start`, as a user deploys
// it: the production server on a free port of 127.0.0.1, stopped by the test when done.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** Nothing leaves the machine: no telemetry ping; the app loads no remote font. */
const offline = { NEXT_TELEMETRY_DISABLED: '1' };

/** Runs `next build` in the example; resolves with how long it took, in ms. */
export async function buildApp(): Promise<number> {
  const started = performance.now();
  try {
    await run(process.execPath, [nextBin, 'build'], {
      cwd: appDir,
      env: { ...process.env, ...offline, NODE_ENV: 'production' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`next build failed:\n${stdout}${stderr}`);
  }
  return performance.now() - started;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface StartedApp {
  /** Such as `http://127.0.0.1:43123`. */
  base: string;
  /** What the server printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `next start` on the built app; resolves once its home page answers. */
export async function startApp(env: Record<string, string>): Promise<StartedApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      cwd: appDir,
      env: { ...process.env, ...offline, ...env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`next start exited (${child.exitCode}): ${output}`);
    try {
      const answer = await fetch(base);
      await answer.body?.cancel();
      if (answer.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer in 30 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, log: () => output, stop };
}
