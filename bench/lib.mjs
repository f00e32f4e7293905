// Helpers every benchmark uses. Not a benchmark: run.mjs runs only `*.bench.mjs`.
import { fork } from 'node:child_process';
import { join } from 'node:path';

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Starts `server` on a free port of 127.0.0.1 and resolves with the port. */
export function listenOnLoopback(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );
}

/** Kills a child process and waits until it has exited. */
export async function stopChild(child) {
  child.kill();
  await new Promise((resolve) =>
    child.exitCode === null ? child.once('exit', resolve) : resolve(),
  );
}

/**
 * Every file a contestant stored under `dir`, in any subfolder but a `.partial` one, leaving
 * out `*.json` (metadata files sit beside the bytes in updown and @tus/file-store).
 */
export async function storedFiles(dir) {
  const { readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.json'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((path) => !path.slice(dir.length).split('/').includes('.partial'));
}

/** The SHA-256 (hex) of a file's bytes. */
export async function sha256OfFile(path) {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/**
 * Makes what a contestant wrote durable: fsync of every file in `paths` (four at a time, as
 * the libuv pool would), then of their folder. The time it takes, added to a peer's time to
 * answer, is its time to durable.
 */
export async function fsyncAll(paths, dir) {
  const { open } = await import('node:fs/promises');
  const fsyncPath = async (path, flags) => {
    const handle = await open(path, flags);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  const queue = [...paths];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (queue.length > 0) await fsyncPath(queue.pop(), 'r+');
    }),
  );
  await fsyncPath(dir, 'r');
}

/** The nearest-rank percentile `p` (0-100) of `values`: of 50 values, p99 is the largest. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Forks `script` as the server of contestant `name`, storing into `dir` (the child reads
 * both from the environment variable `envName`), under --cpu-prof into BENCH_PROFILE/<name>
 * when that is set. `ask(message)` sends a message and resolves with the child's next answer
 * (no message: its first); `stop()` asks it to exit and waits.
 */
export function forkServer(script, envName, name, dir) {
  const profile = process.env.BENCH_PROFILE;
  const child = fork(script, [], {
    env: { ...process.env, [envName]: JSON.stringify({ name, dir }) },
    execArgv: profile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(profile, name.replace(/\W+/g, '-'))}`]
      : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
      if (message) child.send(message);
    });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.send('exit');
    });
  return { ask, stop, pid: child.pid };
}

/** A server that fails to start (a package being rebuilt under it) gets two more chances. */
export async function retried(run) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(`retrying after: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}
