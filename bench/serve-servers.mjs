// The contestants of serve.bench.mjs: each one a server started alone in a child process
// (`fork`ed with UPDOWN_SERVE_BENCH_SERVER = { name, dir }), answering GET /api/files/<id>
// with the file `<dir>/<id>` (updown: with its metadata `<dir>/<id>.json` beside it, as
// diskStorage keeps them; the peers serve the same file by its path). Not a benchmark itself.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { listenOnLoopback } from './lib.mjs';

export const SERVER_ENV = 'UPDOWN_SERVE_BENCH_SERVER';
export const PREFIX = '/api/files';

/**
 * The updown adapters, from the bundle of the working tree's sources serve.bench.mjs made, or
 * for a contestant named `... (baseline)` the bundle of the commit in BENCH_BASELINE.
 */
async function updownModules(name) {
  const bundle = name.endsWith('(baseline)')
    ? process.env.UPDOWN_BENCH_BASELINE_BUNDLE
    : process.env.UPDOWN_BENCH_BUNDLE;
  return import(pathToFileURL(bundle).href);
}

async function updownExpress(name, dir) {
  const { default: express } = await import('express');
  const { express: updown, diskStorage } = await updownModules(name);
  const app = express();
  app.use(PREFIX, updown({ storage: diskStorage({ directory: dir }) }));
  return listenOnLoopback(createServer(app));
}

async function updownFastify(name, dir) {
  const { default: Fastify } = await import('fastify');
  const { fastify: updown, diskStorage } = await updownModules(name);
  const app = Fastify();
  app.register(updown, { prefix: PREFIX, storage: diskStorage({ directory: dir }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

async function updownKoa(name, dir) {
  const { default: Koa } = await import('koa');
  const { koa: updown, diskStorage } = await updownModules(name);
  const app = new Koa();
  app.use(updown({ prefix: PREFIX, storage: diskStorage({ directory: dir }) }));
  return listenOnLoopback(createServer(app.callback()));
}

/** The web-standard entry on @hono/node-server's `serve`, as a Node user would run it. */
async function updownFetch(name, dir) {
  const { serve } = await import('@hono/node-server');
  const { fetch: updown, diskStorage } = await updownModules(name);
  const handle = updown({ prefix: PREFIX, storage: diskStorage({ directory: dir }) });
  return new Promise((resolve) => {
    serve({ fetch: handle, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

/** The id in `/api/files/<id>`, or null for anything else. */
function idOf(url) {
  const path = url.split('?')[0];
  return path.startsWith(`${PREFIX}/`) ? path.slice(PREFIX.length + 1) : null;
}

export const SERVERS = {
  'updown express': (dir, name) => updownExpress(name, dir),
  'updown fastify': (dir, name) => updownFastify(name, dir),
  'updown koa': (dir, name) => updownKoa(name, dir),
  'updown fetch (@hono/node-server)': (dir, name) => updownFetch(name, dir),
  'updown express (baseline)': (dir, name) => updownExpress(name, dir),
  'updown fastify (baseline)': (dir, name) => updownFastify(name, dir),
  'updown koa (baseline)': (dir, name) => updownKoa(name, dir),
  'updown fetch (@hono/node-server) (baseline)': (dir, name) => updownFetch(name, dir),
  /** `send` alone on node:http: what serve-static, express.static and many others wrap. */
  async send(dir) {
    const { default: send } = await import('send');
    return listenOnLoopback(
      createServer((req, res) => {
        const id = idOf(req.url);
        if (id === null) return res.writeHead(404).end();
        send(req, id, { root: dir }).pipe(res);
      }),
    );
  },
  async 'express.static'(dir) {
    const { default: express } = await import('express');
    const app = express();
    app.use(PREFIX, express.static(dir));
    return listenOnLoopback(createServer(app));
  },
  async '@fastify/static'(dir) {
    const { default: Fastify } = await import('fastify');
    const { default: fastifyStatic } = await import('@fastify/static');
    const app = Fastify();
    app.register(fastifyStatic, { root: dir, prefix: `${PREFIX}/` });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  },
  async 'koa-send'(dir) {
    const { default: Koa } = await import('koa');
    const { default: send } = await import('koa-send');
    const app = new Koa();
    app.use(async (ctx) => {
      const id = idOf(ctx.path);
      if (id !== null) await send(ctx, id, { root: dir });
    });
    return listenOnLoopback(createServer(app.callback()));
  },
};

async function runServer() {
  const { name, dir } = JSON.parse(process.env[SERVER_ENV]);
  const port = await SERVERS[name](dir, name);
  const cpu = () => {
    const usage = process.resourceUsage();
    return { user: usage.userCPUTime, system: usage.systemCPUTime };
  };
  process.on('message', (message) => {
    // A graceful exit, so that --cpu-prof writes its profile.
    if (message === 'exit') process.exit(0);
    if (message === 'stats') {
      process.send({ rss: process.memoryUsage.rss(), cpu: cpu() });
    }
  });
  process.send({ port });
}

if (process.env[SERVER_ENV]) await runServer();
