// Upload intake: one large file over loopback to each adapter and to the peers, each server
// alone in its own child process (so its peak RSS is its own), disk storage in a temp dir.
//
//   node bench/run.mjs upload                      64 MiB and 512 MiB, 3 rounds
//   BENCH_SIZES=64 BENCH_ROUNDS=5 node bench/run.mjs upload
//
// Contestants are interleaved within each round and the median round is reported, so a
// noisy neighbour slows every contestant alike rather than one of them.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback, median, stopChild } from './lib.mjs';

const MiB = 1024 * 1024;
const SERVER_ENV = 'UPDOWN_UPLOAD_BENCH_SERVER';

const CONTESTANTS = [
  'updown express',
  'updown fastify',
  'updown koa',
  'updown express, fsync off',
  'busboy',
  'multer',
  '@fastify/multipart',
  'formidable',
  'ceiling: raw 1 MiB writes',
];

// ---------------------------------------------------------------------------------------
// Servers (run in the child process)

const servers = {
  async 'updown express'(dir) {
    const { default: express } = await import('express');
    const { updown } = await import('@updown/server-adapters/express');
    const { diskStorage } = await import('@updown/server-adapters');
    const app = express();
    app.use('/api/files', updown({ storage: diskStorage({ directory: dir }), limits: LIMITS }));
    return listenOnLoopback(createServer(app));
  },
  // The peers answer before their bytes are durable; this shows what our fsync costs.
  async 'updown express, fsync off'(dir) {
    const { default: express } = await import('express');
    const { updown } = await import('@updown/server-adapters/express');
    const { diskStorage } = await import('@updown/server-adapters');
    const app = express();
    app.use(
      '/api/files',
      updown({ storage: diskStorage({ directory: dir, fsync: false }), limits: LIMITS }),
    );
    return listenOnLoopback(createServer(app));
  },
  async 'updown fastify'(dir) {
    const { default: Fastify } = await import('fastify');
    const { updown } = await import('@updown/server-adapters/fastify');
    const { diskStorage } = await import('@updown/server-adapters');
    const app = Fastify();
    app.register(updown, {
      prefix: '/api/files',
      storage: diskStorage({ directory: dir }),
      limits: LIMITS,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  },
  async 'updown koa'(dir) {
    const { default: Koa } = await import('koa');
    const { updown } = await import('@updown/server-adapters/koa');
    const { diskStorage } = await import('@updown/server-adapters');
    const app = new Koa();
    app.use(
      updown({ prefix: '/api/files', storage: diskStorage({ directory: dir }), limits: LIMITS }),
    );
    return listenOnLoopback(createServer(app.callback()));
  },
  async busboy(dir) {
    const { default: busboy } = await import('busboy');
    return listenOnLoopback(
      createServer((req, res) => {
        const bb = busboy({ headers: req.headers });
        const writes = [];
        bb.on('file', (_name, stream) => {
          writes.push(
            pipeline(stream, createWriteStream(join(dir, randomBytes(16).toString('hex')))),
          );
        });
        bb.on('close', async () => {
          await Promise.all(writes);
          res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
        });
        req.pipe(bb);
      }),
    );
  },
  async multer(dir) {
    const { default: express } = await import('express');
    const { default: multer } = await import('multer');
    const app = express();
    const upload = multer({ storage: multer.diskStorage({ destination: dir }) });
    app.post('/api/files/upload', upload.single('file'), (_req, res) => res.status(201).json({}));
    return listenOnLoopback(createServer(app));
  },
  async '@fastify/multipart'(dir) {
    const { default: Fastify } = await import('fastify');
    const { default: multipart } = await import('@fastify/multipart');
    const app = Fastify();
    await app.register(multipart, { limits: { fileSize: Number.POSITIVE_INFINITY } });
    app.post('/api/files/upload', async (req, reply) => {
      const data = await req.file();
      await pipeline(data.file, createWriteStream(join(dir, randomBytes(16).toString('hex'))));
      reply.code(201).send({});
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  },
  async formidable(dir) {
    const { default: formidable } = await import('formidable');
    return listenOnLoopback(
      createServer(async (req, res) => {
        const form = formidable({
          uploadDir: dir,
          maxFileSize: 4096 * MiB,
          maxTotalFileSize: 4096 * MiB,
        });
        await form.parse(req);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      }),
    );
  },
  async 'ceiling: raw 1 MiB writes'(dir) {
    // No parsing at all: the request body, multipart framing included, straight to disk in
    // 1 MiB writes. Nothing that parses can beat this on the same machine.
    return listenOnLoopback(
      createServer(async (req, res) => {
        const file = await open(join(dir, randomBytes(16).toString('hex')), 'w');
        const buffer = Buffer.allocUnsafe(MiB);
        let used = 0;
        for await (const chunk of req) {
          let offset = 0;
          while (offset < chunk.length) {
            const n = chunk.copy(buffer, used, offset);
            used += n;
            offset += n;
            if (used === buffer.length) {
              await file.write(buffer, 0, used);
              used = 0;
            }
          }
        }
        if (used > 0) await file.write(buffer, 0, used);
        await file.close();
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      }),
    );
  },
};

const LIMITS = { fileSize: 4096 * MiB, idleTimeoutMs: 120_000 };

async function runServer() {
  const { name, dir } = JSON.parse(process.env[SERVER_ENV]);
  const port = await servers[name](dir);
  const cpuMicros = () => {
    const usage = process.resourceUsage();
    return usage.userCPUTime + usage.systemCPUTime;
  };
  process.on('message', (message) => {
    if (message === 'stats') {
      process.send({ maxRss: process.resourceUsage().maxRSS * 1024, cpuMicros: cpuMicros() });
    }
  });
  process.send({ port, cpuMicros: cpuMicros() });
}

// ---------------------------------------------------------------------------------------
// Client and report (run in the parent process)

function startServer(name, dir) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [SERVER_ENV]: JSON.stringify({ name, dir }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
      if (message) child.send(message);
    });
  return { child, ask };
}

/** The multipart body, generated as it is sent: the file is never held in memory. */
function multipartBody(size, boundary, pool) {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* generate() {
    yield head;
    let sent = 0;
    let i = 0;
    while (sent < size) {
      const piece = pool[i++ % pool.length];
      const n = Math.min(piece.length, size - sent);
      yield n === piece.length ? piece : piece.subarray(0, n);
      sent += n;
    }
    yield tail;
  }
  return { length: head.length + size + tail.length, body: generate() };
}

async function trial(request, name, size, root, pool) {
  const dir = join(root, `${name.replace(/\W+/g, '-')}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const { child, ask } = startServer(name, dir);
  try {
    const { port, cpuMicros: cpuAtStart } = await ask();
    const boundary = `----bench${randomBytes(8).toString('hex')}`;
    const { length, body } = multipartBody(size, boundary, pool);
    const started = process.hrtime.bigint();
    const res = await request(`http://127.0.0.1:${port}/api/files/upload`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(length),
      },
      body,
    });
    await res.body.text();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.statusCode >= 300) throw new Error(`${name} answered ${res.statusCode}`);
    // The peers answer once their bytes are in the page cache; ours once they are fsynced.
    // Timing a `sync` right after the answer puts everyone on the same footing: on disk.
    const syncStarted = process.hrtime.bigint();
    execFileSync('sync');
    const durableSeconds = seconds + Number(process.hrtime.bigint() - syncStarted) / 1e9;
    const { maxRss, cpuMicros } = await ask('stats');
    // CPU time spent by the server per GiB: unlike wall time, hardly moved by a busy machine.
    const cpuPerGiB = (cpuMicros - cpuAtStart) / 1e6 / (size / (1024 * MiB));
    return {
      mibPerSecond: size / MiB / seconds,
      durable: size / MiB / durableSeconds,
      maxRss,
      cpuPerGiB,
    };
  } finally {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    // Flush what this contestant left dirty in the page cache (the peers do not fsync), so
    // its write-back does not slow the next one down.
    execFileSync('sync');
  }
}

/** A server that fails to start (a package being rebuilt under it) gets two more chances. */
async function retried(run) {
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

async function main() {
  const { request } = await import('undici');
  const sizes = (process.env.BENCH_SIZES ?? '64,512').split(',').map((s) => Number(s) * MiB);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const only = process.env.BENCH_ONLY?.split(',');
  const contestants = only
    ? CONTESTANTS.filter((c) => only.some((o) => c.includes(o)))
    : CONTESTANTS;
  if (only && !contestants.includes('busboy')) contestants.push('busboy');
  const pool = Array.from({ length: 4 }, () => randomBytes(MiB));
  const root = await mkdtemp(join(tmpdir(), 'updown-upload-bench-'));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`load average at start: ${load()} (figures are only comparable on a quiet machine)`);
  const rss = {};
  try {
    for (const size of sizes) {
      const results = Object.fromEntries(contestants.map((c) => [c, []]));
      for (let round = 0; round < rounds; round++) {
        // A different order each round, so no contestant always follows the same one.
        const order = contestants.map((_, i) => contestants[(i + round) % contestants.length]);
        for (const name of order)
          results[name].push(await retried(() => trial(request, name, size, root, pool)));
      }
      const baseline = median(results.busboy.map((r) => r.mibPerSecond));
      console.log(`\n### one ${size / MiB} MiB file, median of ${rounds} rounds\n`);
      const durableBaseline = median(results.busboy.map((r) => r.durable));
      console.log(
        '| contestant | MiB/s to answer | vs busboy | MiB/s to disk (answer + sync) | vs busboy | server CPU s/GiB | peak RSS (MiB) |',
      );
      console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const name of contestants) {
        const speed = median(results[name].map((r) => r.mibPerSecond));
        const durable = median(results[name].map((r) => r.durable));
        const cpu = median(results[name].map((r) => r.cpuPerGiB));
        const peak = Math.max(...results[name].map((r) => r.maxRss)) / MiB;
        rss[name] = [...(rss[name] ?? []), peak];
        console.log(
          `| ${name} | ${speed.toFixed(0)} | ${(speed / baseline).toFixed(2)}x | ${durable.toFixed(0)} | ${(durable / durableBaseline).toFixed(2)}x | ${cpu.toFixed(2)} | ${peak.toFixed(0)} |`,
        );
      }
    }
    console.log(`\nload average at end: ${load()}`);
    if (sizes.length > 1) {
      console.log(
        `\npeak RSS growth from ${sizes[0] / MiB} MiB to ${sizes.at(-1) / MiB} MiB (MiB):`,
      );
      for (const name of contestants) {
        const list = rss[name];
        console.log(`  ${name}: ${(list.at(-1) - list[0]).toFixed(0)}`);
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.env[SERVER_ENV]) await runServer();
else await main();
