// The contestants of upload.bench.mjs and concurrency.bench.mjs: each one a server started
// alone in a child process (`startServer`, which `fork`s this file with
// UPDOWN_UPLOAD_BENCH_SERVER = { name, dir }), answering POST /api/files/upload with 201 once
// it holds what it is given. Not a benchmark itself.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forkServer, listenOnLoopback } from './lib.mjs';

const MiB = 1024 * 1024;
export const SERVER_ENV = 'UPDOWN_UPLOAD_BENCH_SERVER';
const LIMITS = { fileSize: 4096 * MiB, files: 1000, parts: 1100, idleTimeoutMs: 120_000 };
const BIG = 4096 * MiB;
const randomName = () => randomBytes(16).toString('hex');

/**
 * Where updown is loaded from: the bundle of the working tree's sources upload.bench.mjs made,
 * or for a contestant named `... (baseline)` the bundle of the commit in BENCH_BASELINE.
 */
async function updownModules(name, entry) {
  const bundle = name.endsWith('(baseline)')
    ? process.env.UPDOWN_BENCH_BASELINE_BUNDLE
    : process.env.UPDOWN_BENCH_BUNDLE;
  const modules = await import(pathToFileURL(bundle).href);
  // BENCH_WRITE_BUFFER_KIB sets `writeBufferSize` of the working tree's contestants only (a
  // trial of another size beside the baseline's default).
  const kib = Number(process.env.BENCH_WRITE_BUFFER_KIB);
  const diskStorage =
    kib > 0 && !name.endsWith('(baseline)')
      ? (options) => modules.diskStorage({ writeBufferSize: kib * 1024, ...options })
      : modules.diskStorage;
  return { updown: modules[entry], diskStorage, Hono: modules.Hono };
}

async function updownExpress(name, dir, fsync) {
  const { default: express } = await import('express');
  const { updown, diskStorage } = await updownModules(name, 'express');
  const app = express();
  app.use(
    '/api/files',
    updown({ storage: diskStorage({ directory: dir, fsync }), limits: LIMITS }),
  );
  return listenOnLoopback(createServer(app));
}

async function updownFastify(name, dir, fsync) {
  const { default: Fastify } = await import('fastify');
  const { updown, diskStorage } = await updownModules(name, 'fastify');
  const app = Fastify();
  app.register(updown, {
    prefix: '/api/files',
    storage: diskStorage({ directory: dir, fsync }),
    limits: LIMITS,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

async function updownKoa(name, dir, fsync) {
  const { default: Koa } = await import('koa');
  const { updown, diskStorage } = await updownModules(name, 'koa');
  const app = new Koa();
  app.use(
    updown({
      prefix: '/api/files',
      storage: diskStorage({ directory: dir, fsync }),
      limits: LIMITS,
    }),
  );
  return listenOnLoopback(createServer(app.callback()));
}

/** The web-standard entry (`Request` in, `Response` out) on @hono/node-server's listener. */
async function updownFetch(name, dir, fsync) {
  const { getRequestListener } = await import('@hono/node-server');
  const { updown, diskStorage } = await updownModules(name, 'fetch');
  const handle = updown({
    prefix: '/api/files',
    storage: diskStorage({ directory: dir, fsync }),
    limits: LIMITS,
  });
  return listenOnLoopback(createServer(getRequestListener(handle)));
}

/** The Hono adapter mounted with `app.route`, on @hono/node-server's listener. */
async function updownHono(name, dir, fsync) {
  const { getRequestListener } = await import('@hono/node-server');
  const { updown, diskStorage, Hono } = await updownModules(name, 'hono');
  const app = new Hono();
  app.route(
    '/api/files',
    updown({ storage: diskStorage({ directory: dir, fsync }), limits: LIMITS }),
  );
  return listenOnLoopback(createServer(getRequestListener(app.fetch)));
}

/**
 * The request body, multipart framing included, straight to one file in 1 MiB writes: no
 * parsing at all. With `guarantees`, what updown promises by default on top: SHA-256 of every
 * byte, an fdatasync in the background every 32 MiB, an fsync before the answer.
 */
function rawCeiling(dir, guarantees) {
  return listenOnLoopback(
    createServer(async (req, res) => {
      const file = await open(join(dir, randomName()), 'w');
      const hash = guarantees ? createHash('sha256') : null;
      let buffer = Buffer.allocUnsafe(MiB);
      let used = 0;
      let unsynced = 0;
      let syncing = null;
      for await (const chunk of req) {
        hash?.update(chunk);
        let offset = 0;
        while (offset < chunk.length) {
          const n = chunk.copy(buffer, used, offset);
          used += n;
          offset += n;
          if (used === buffer.length) {
            await file.write(buffer, 0, used);
            unsynced += used;
            used = 0;
            if (guarantees && unsynced >= 32 * MiB && !syncing) {
              unsynced = 0;
              syncing = file.datasync().finally(() => {
                syncing = null;
              });
            }
            buffer = Buffer.allocUnsafe(MiB);
          }
        }
      }
      if (used > 0) await file.write(buffer, 0, used);
      if (guarantees) {
        await syncing;
        await file.sync();
      }
      await file.close();
      const body = JSON.stringify(hash ? { sha256: hash.digest('hex') } : {});
      res.writeHead(201, { 'content-type': 'application/json' }).end(body);
    }),
  );
}

export const SERVERS = {
  'updown express': (dir, name) => updownExpress(name, dir, true),
  'updown fastify': (dir, name) => updownFastify(name, dir, true),
  'updown koa': (dir, name) => updownKoa(name, dir, true),
  'updown fetch on @hono/node-server': (dir, name) => updownFetch(name, dir, true),
  'updown express, fsync off': (dir, name) => updownExpress(name, dir, false),
  'updown fastify, fsync off': (dir, name) => updownFastify(name, dir, false),
  'updown koa, fsync off': (dir, name) => updownKoa(name, dir, false),
  'updown fetch on @hono/node-server, fsync off': (dir, name) => updownFetch(name, dir, false),
  'updown express (baseline)': (dir, name) => updownExpress(name, dir, true),
  'updown hono on @hono/node-server, fsync off': (dir, name) => updownHono(name, dir, false),
  'updown hono on @hono/node-server, fsync off (baseline)': (dir, name) =>
    updownHono(name, dir, false),
  'updown fetch on @hono/node-server, fsync off (baseline)': (dir, name) =>
    updownFetch(name, dir, false),
  'updown express, fsync off (baseline)': (dir, name) => updownExpress(name, dir, false),
  'updown fastify, fsync off (baseline)': (dir, name) => updownFastify(name, dir, false),
  async busboy(dir) {
    const { default: busboy } = await import('busboy');
    return listenOnLoopback(
      createServer((req, res) => {
        const bb = busboy({ headers: req.headers, limits: { files: Number.POSITIVE_INFINITY } });
        const writes = [];
        bb.on('file', (_name, stream) => {
          writes.push(pipeline(stream, createWriteStream(join(dir, randomName()))));
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
    app.post('/api/files/upload', upload.any(), (_req, res) => res.status(201).json({}));
    return listenOnLoopback(createServer(app));
  },
  async '@fastify/multipart'(dir) {
    const { default: Fastify } = await import('fastify');
    const { default: multipart } = await import('@fastify/multipart');
    const app = Fastify();
    await app.register(multipart, { limits: { fileSize: BIG, files: BIG, parts: BIG } });
    app.post('/api/files/upload', async (req, reply) => {
      for await (const part of req.files()) {
        await pipeline(part.file, createWriteStream(join(dir, randomName())));
      }
      reply.code(201).send({});
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  },
  async formidable(dir) {
    const { default: formidable } = await import('formidable');
    return listenOnLoopback(
      createServer(async (req, res) => {
        const form = formidable({ uploadDir: dir, maxFileSize: BIG, maxTotalFileSize: BIG });
        await form.parse(req);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      }),
    );
  },
  async 'koa-body'(dir) {
    const { default: Koa } = await import('koa');
    const { koaBody } = await import('koa-body');
    const app = new Koa();
    app.use(
      koaBody({
        multipart: true,
        formidable: { uploadDir: dir, maxFileSize: BIG, maxTotalFileSize: BIG },
      }),
    );
    app.use((ctx) => {
      ctx.status = 201;
      ctx.body = {};
    });
    return listenOnLoopback(createServer(app.callback()));
  },
  'ceiling: raw 1 MiB writes': (dir) => rawCeiling(dir, false),
  'ceiling with our guarantees': (dir) => rawCeiling(dir, true),
};

/** Contestants that store the raw body (framing included) rather than the files in it. */
export const RAW = new Set(['ceiling: raw 1 MiB writes', 'ceiling with our guarantees']);

/**
 * Starts contestant `name` storing into `dir` in a child process (under --cpu-prof into
 * BENCH_PROFILE/<name> when that is set). `ask(message)` sends a message and resolves with the
 * child's next answer (no message: its first, `{ port }`); 'reset-peak' and 'stats' answer
 * `{ peakRss, rss, cpu }`. `stop()` asks it to exit and waits.
 */
export function startServer(name, dir) {
  return forkServer(fileURLToPath(import.meta.url), SERVER_ENV, name, dir);
}

/** The largest resident set since the last reset, from /proc (Linux). */
function peakRss() {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return kib ? Number(kib[1]) * 1024 : Number.NaN;
}

async function runServer() {
  const { name, dir } = JSON.parse(process.env[SERVER_ENV]);
  const port = await SERVERS[name](dir, name);
  // Garbage collection, from the start: the time in full (mark-compact) collections and in
  // the others, and how many full ones ran.
  const gc = { majorMs: 0, majors: 0, minorMs: 0 };
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorMs += entry.duration;
        gc.majors += 1;
      } else gc.minorMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const cpu = () => {
    const usage = process.resourceUsage();
    return {
      gc: { ...gc },
      user: usage.userCPUTime,
      system: usage.systemCPUTime,
      faults: usage.minorPageFault,
      switches: usage.voluntaryContextSwitches + usage.involuntaryContextSwitches,
    };
  };
  process.on('message', (message) => {
    // A graceful exit, so that --cpu-prof writes its profile.
    if (message === 'exit') process.exit(0);
    // The peak is read from the kernel (VmHWM) and reset here: a forked process's
    // resourceUsage().maxRSS starts at its parent's, so it would report the bench itself.
    if (message === 'reset-peak') writeFileSync('/proc/self/clear_refs', '5');
    if (message === 'reset-peak' || message === 'stats') {
      process.send({ peakRss: peakRss(), rss: process.memoryUsage.rss(), cpu: cpu() });
    }
  });
  process.send({ port });
}

if (process.env[SERVER_ENV]) await runServer();
