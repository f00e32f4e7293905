// Load: many concurrent uploads of mixed sizes and a crowd of slow clients, at once, against
// each adapter on 127.0.0.1, with the default limits: a check that nothing breaks or leaks
// under load, not a race (concurrency.bench.mjs times concurrent uploads beside the peers).
// Each server runs alone in a child process, so the RSS and the open descriptors printed
// (/proc/<pid>) are its own. Every upload is checked by SHA-256 against the server's answer
// and against the bytes it stored; after the run the server's descriptors must come back to
// their baseline (no leak) and `.partial/` must be empty.
//
//   npm run load -w @updown/bench                      200 uploads 1 KiB..8 MiB + 50 slow clients
//   LOAD_UPLOADS=50 LOAD_SLOW=10 LOAD_MAX_MIB=2 LOAD_ADAPTERS=koa node bench/load.mjs
//
// Sizes are log-uniform and seeded (LOAD_SEED), so every adapter gets the same uploads. The
// run is bounded: each adapter's phase gives up after LOAD_TIMEOUT_S (default 180 s). Exits 1
// if an upload is not byte-exact, a slow client is cut wrongly, or descriptors leak. Needs
// the built package (`npx turbo run build --filter=@updown/server-adapters`).
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { percentile, stopChild } from './lib.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
const SERVER_ENV = 'UPDOWN_LOAD_SERVER';
const env = process.env;
const UPLOADS = Number(env.LOAD_UPLOADS ?? 200);
const SLOW = Number(env.LOAD_SLOW ?? 50);
const MIN_BYTES = Number(env.LOAD_MIN_KIB ?? 1) * KiB;
const MAX_BYTES = Number(env.LOAD_MAX_MIB ?? 8) * MiB;
const SEED = Number(env.LOAD_SEED ?? 11);
const TIMEOUT_MS = Number(env.LOAD_TIMEOUT_S ?? 180) * 1000;
const ADAPTERS = (env.LOAD_ADAPTERS ?? 'express,fastify,koa').split(',');
/** A slow client sends this many bytes, then waits this long, again and again. */
const TRICKLE_BYTES = 4;
const TRICKLE_EVERY_MS = 1000;

// ---------------------------------------------------------------------------------------
// The server (in the child process)

async function serve(adapter, directory) {
  const { diskStorage } = await import('@updown/server-adapters');
  const storage = diskStorage({ directory });
  const base = '/api/files';
  if (adapter === 'express') {
    const { default: express } = await import('express');
    const { updown } = await import('@updown/server-adapters/express');
    const app = express();
    app.use(base, updown({ storage }));
    return new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  }
  if (adapter === 'fastify') {
    const { default: Fastify } = await import('fastify');
    const { updown } = await import('@updown/server-adapters/fastify');
    const app = Fastify();
    app.register(updown, { prefix: base, storage });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  }
  const { default: Koa } = await import('koa');
  const { updown } = await import('@updown/server-adapters/koa');
  const app = new Koa();
  app.use(updown({ prefix: base, storage }));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

// ---------------------------------------------------------------------------------------
// The clients (in this process)

/** xorshift32: the same bytes for the same seed, fast enough to feed 200 sockets. */
function* seededChunks(size, seed) {
  let x = seed >>> 0 || 1;
  let left = size;
  while (left > 0) {
    const n = Math.min(left, 64 * KiB);
    const words = new Uint32Array(Math.ceil(n / 4));
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    left -= n;
    yield Buffer.from(words.buffer, 0, n);
  }
}

function sizes(count, seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const lo = Math.log(MIN_BYTES);
  const hi = Math.log(MAX_BYTES);
  return Array.from({ length: count }, () => Math.round(Math.exp(lo + next() * (hi - lo))));
}

const BOUNDARY = '----updownLoad7f3a91c2';

function framing(name) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return { head, tail: Buffer.from(`\r\n--${BOUNDARY}--\r\n`) };
}

/** One upload, streamed: resolves with its latency, its hash and the server's answer. */
function upload(port, index, size) {
  const { head, tail } = framing(`load-${index}.bin`);
  const hash = createHash('sha256');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/files/upload',
      agent: false,
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('response', async (res) => {
      const chunks = [];
      for await (const chunk of res) chunks.push(chunk);
      resolve({
        status: res.statusCode,
        answer: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        sha256: hash.digest('hex'),
        size,
        ms: performance.now() - started,
      });
    });
    req.on('error', reject);
    const chunks = seededChunks(size, SEED * 7919 + index);
    const pump = () => {
      for (;;) {
        const { value, done } = chunks.next();
        if (done) {
          req.end(tail);
          return;
        }
        hash.update(value);
        if (!req.write(value)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    req.write(head);
    pump();
  });
}

/** A client that sends its headers and then a few bytes a second, until `stop()`. */
function slowClient(port, index) {
  const { head } = framing(`slow-${index}.bin`);
  const declared = head.length + 1 * MiB;
  const socket = connect({ port, host: '127.0.0.1' });
  const state = { answer: null, sent: 0 };
  let timer;
  socket.on('data', (chunk) => {
    state.answer ??= chunk.toString('latin1').split('\r\n')[0];
  });
  socket.on('error', () => {});
  socket.once('connect', () => {
    socket.write(
      `POST /api/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    socket.write(head);
    timer = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(Buffer.alloc(TRICKLE_BYTES, 0x61));
      state.sent += TRICKLE_BYTES;
    }, TRICKLE_EVERY_MS);
  });
  return {
    state,
    stop() {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Figures

function figures(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMiB: rssKiB / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

async function storedHash(directory, id) {
  return createHash('sha256')
    .update(readFileSync(join(directory, id)))
    .digest('hex');
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runAdapter(adapter) {
  const directory = await mkdtemp(join(tmpdir(), `updown-load-${adapter}-`));
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...env, [SERVER_ENV]: JSON.stringify({ adapter, directory }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const problems = [];
  try {
    const { port } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    // Warm up (modules, first folder creation), then the baseline.
    for (let i = 0; i < 3; i++) await upload(port, -1 - i, 4 * KiB);
    await sleep(500);
    const before = figures(child.pid);

    const slow = Array.from({ length: SLOW }, (_, i) => slowClient(port, i));
    await sleep(1500);
    let peak = figures(child.pid);
    const sampler = setInterval(() => {
      const now = figures(child.pid);
      peak = { rssMiB: Math.max(peak.rssMiB, now.rssMiB), fds: Math.max(peak.fds, now.fds) };
    }, 200);

    const plan = sizes(UPLOADS, SEED);
    const started = performance.now();
    const results = await withTimeout(
      Promise.all(plan.map((size, i) => upload(port, i, size))),
      TIMEOUT_MS,
      `${adapter}: ${UPLOADS} uploads`,
    );
    const wallS = (performance.now() - started) / 1000;
    const during = peak;
    clearInterval(sampler);

    for (const [i, r] of results.entries()) {
      const file = r.answer.files?.[0];
      if (r.status !== 201 || !file) {
        problems.push(`upload ${i}: ${r.status} ${JSON.stringify(r.answer).slice(0, 120)}`);
        continue;
      }
      if (file.sha256 !== r.sha256 || file.size !== r.size)
        problems.push(`upload ${i}: the answer's sha256/size differ from what was sent`);
      else if ((await storedHash(directory, file.id)) !== r.sha256)
        problems.push(`upload ${i}: the stored bytes differ from what was sent`);
    }
    // Slow clients were held through the load, or cut with the contract's answer.
    const cut = slow.filter((s) => s.state.answer !== null);
    const held = SLOW - cut.length;
    const cutBy = [...new Set(cut.map((s) => s.state.answer))].join(', ');
    for (const s of slow) s.stop();

    // Back to the baseline once every socket and partial file is closed.
    const deadline = Date.now() + 15_000;
    const partialsLeft = async () =>
      (await readdir(join(directory, '.partial')).catch(() => [])).length;
    let after = figures(child.pid);
    let partials = await partialsLeft();
    while ((after.fds > before.fds || partials > 0) && Date.now() < deadline) {
      await sleep(200);
      after = figures(child.pid);
      partials = await partialsLeft();
    }
    if (after.fds > before.fds)
      problems.push(`descriptors: ${before.fds} before, ${after.fds} after`);
    if (partials > 0) problems.push(`${partials} partial files left 15 s after the clients left`);

    const ms = results.map((r) => r.ms);
    const bytes = results.reduce((sum, r) => sum + r.size, 0);
    return {
      adapter,
      uploads: `${results.length} (${(bytes / MiB).toFixed(0)} MiB)`,
      'min ms': Math.min(...ms).toFixed(0),
      'p50 ms': percentile(ms, 50).toFixed(0),
      'p99 ms': percentile(ms, 99).toFixed(0),
      'MiB/s': (bytes / MiB / wallS).toFixed(1),
      'slow held': `${held}/${SLOW}${cut.length ? ` (cut: ${cutBy})` : ''}`,
      'RSS MiB before/during/after': [before, during, after]
        .map((f) => f.rssMiB.toFixed(0))
        .join(' / '),
      'fds before/during/after': [before, during, after].map((f) => f.fds).join(' / '),
      problems,
    };
  } finally {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `load: ${UPLOADS} concurrent uploads of ${MIN_BYTES / KiB} KiB..${MAX_BYTES / MiB} MiB (seed ${SEED}) ` +
      `+ ${SLOW} slow clients (${TRICKLE_BYTES} B/${TRICKLE_EVERY_MS} ms), node ${process.version}, ` +
      `load average ${loadavg()[0].toFixed(1)}`,
  );
  const rows = [];
  for (const adapter of ADAPTERS) rows.push(await runAdapter(adapter));
  console.table(rows.map(({ problems, ...row }) => row));
  const problems = rows.flatMap((r) => r.problems.map((p) => `${r.adapter}: ${p}`));
  for (const p of problems) console.log(`PROBLEM ${p}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

if (env[SERVER_ENV]) {
  const { adapter, directory } = JSON.parse(env[SERVER_ENV]);
  // Koa prints aborted uploads as errors; the slow clients are aborted on purpose.
  console.error = () => {};
  const port = await serve(adapter, directory);
  process.send({ port });
} else {
  await main();
}
