import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Express from 'express';
import type Fastify from 'fastify';
import type Koa from 'koa';
import { updown as expressUpdown } from '../adapters/express';
import { updown as fastifyUpdown } from '../adapters/fastify';
import type { FetchUpdownOptions } from '../adapters/fetch';
import type { HonoUpdownOptions } from '../adapters/hono';
import { updown as koaUpdown } from '../adapters/koa';
import type { NodeRequestParts, WebRequestParts } from '../exchange/exchange';
import type { HandlerOptions } from '../handler/handler-types';
import { startFetchServer } from './fetch-app';
import { startHonoServer } from './hono-app';

/**
 * The Node adapters, the fetch entry served on node:http (`fetch-app.ts`), and the Hono
 * adapter in a Hono app on @hono/node-server (`hono-app.ts`).
 */
export type AdapterName = 'express' | 'fastify' | 'koa' | 'fetch' | 'hono';

/** Every adapter the contract tables run on. */
export const ALL_ADAPTERS: readonly AdapterName[] = ['express', 'fastify', 'koa', 'fetch', 'hono'];

/**
 * What the tables' hooks see of a request: Node's `req`/`res` under the Node adapters, the
 * `Request` under the fetch entry. Read it with `headerOf` and `methodOf`.
 */
export type TableParts = Partial<NodeRequestParts> & Partial<WebRequestParts>;

/** The hooks of a table, written once for every adapter. */
export type TableOptions = HandlerOptions<never, TableParts>;

/** A request header, whichever runtime carried the request. */
export function headerOf(ctx: TableParts, name: string): string | undefined {
  if (ctx.request) return ctx.request.headers.get(name) ?? undefined;
  const value = ctx.req?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request's method, whichever runtime carried the request. */
export function methodOf(ctx: TableParts): string {
  return ctx.request?.method ?? ctx.req?.method ?? '';
}

export interface RunningApp {
  name: AdapterName;
  port: number;
  origin: string;
  /** `origin + basePath`. */
  base: string;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Where the adapter is mounted. Defaults to `/api/files`. */
  basePath?: string;
  // Hooks are written once for every adapter, so they see `framework` as unknown.
  options?: TableOptions;
  /** The framework module; defaults to the newest major. */
  framework?: unknown;
  /**
   * Runs every request in this storage's context, set by the app before the adapter (with
   * each framework's usual hook), holding the request's `x-request-id` header.
   */
  asyncContext?: AsyncLocalStorage<string>;
}

/**
 * Beside the adapter each app has routes of its own, to show that the adapter leaves them
 * alone: `GET <base>/app/echo` (below the mount, not a contract route), `GET /health`, and
 * `POST /json` (the app's JSON body parser keeps working).
 */
export const APP_ROUTE = '/app/echo';

function listening(
  server: Server,
  name: AdapterName,
  basePath: string,
  close: () => Promise<void>,
): RunningApp {
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return { name, port, origin, base: origin + basePath, close };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const requestId = (req: IncomingMessage) => String(req.headers['x-request-id'] ?? '');

async function startExpress(
  basePath: string,
  options: TableOptions,
  framework: unknown,
  als?: AsyncLocalStorage<string>,
): Promise<RunningApp> {
  const express = (framework ?? (await import('express')).default) as typeof Express;
  const app = express();
  if (als) app.use((req, _res, next) => als.run(requestId(req), next));
  app.use(express.json());
  const middleware = expressUpdown(options as unknown as HandlerOptions<Express.Request>);
  if (basePath === '') app.use(middleware);
  else app.use(basePath, middleware);
  app.get(basePath + APP_ROUTE, (_req, res) => {
    res.type('text/plain').send('app');
  });
  app.get('/health', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.post('/json', (req, res) => {
    res.json({ got: req.body });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return listening(server, 'express', basePath, () => closeServer(server));
}

async function startFastify(
  basePath: string,
  options: TableOptions,
  framework: unknown,
  als?: AsyncLocalStorage<string>,
): Promise<RunningApp> {
  const fastify = (framework ?? (await import('fastify')).default) as typeof Fastify;
  const app = fastify();
  if (als) app.addHook('onRequest', (req, _reply, done) => als.run(requestId(req.raw), done));
  app.register(fastifyUpdown, {
    prefix: basePath,
    ...(options as unknown as HandlerOptions<unknown>),
  });
  app.get(basePath + APP_ROUTE, async (_req, reply) => {
    reply.type('text/plain').send('app');
  });
  app.get('/health', async (_req, reply) => {
    reply.type('text/plain').send('ok');
  });
  app.post('/json', async (req) => ({ got: req.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return listening(app.server, 'fastify', basePath, async () => {
    app.server.closeAllConnections();
    await app.close();
  });
}

async function startKoa(
  basePath: string,
  options: TableOptions,
  framework: unknown,
  als?: AsyncLocalStorage<string>,
): Promise<RunningApp> {
  const KoaClass = (framework ?? (await import('koa')).default) as typeof Koa;
  const app = new KoaClass();
  if (als) app.use((ctx, next) => als.run(requestId(ctx.req), next));
  app.use(koaUpdown({ prefix: basePath, ...(options as unknown as HandlerOptions<Koa.Context>) }));
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && (ctx.path === basePath + APP_ROUTE || ctx.path === '/health')) {
      ctx.type = 'text/plain';
      ctx.body = ctx.path === '/health' ? 'ok' : 'app';
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/json') {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.body = { got: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      return;
    }
    await next();
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return listening(server, 'koa', basePath, () => closeServer(server));
}

async function startFetch(
  basePath: string,
  options: TableOptions,
  als?: AsyncLocalStorage<string>,
): Promise<RunningApp> {
  const server = await startFetchServer(
    basePath,
    options as unknown as FetchUpdownOptions,
    APP_ROUTE,
    als,
  );
  return listening(server, 'fetch', basePath, () => closeServer(server));
}

async function startHono(
  basePath: string,
  options: TableOptions,
  als?: AsyncLocalStorage<string>,
): Promise<RunningApp> {
  const server = await startHonoServer(
    basePath,
    options as unknown as HonoUpdownOptions,
    APP_ROUTE,
    als,
  );
  return listening(server, 'hono', basePath, () => closeServer(server));
}

export function startApp(name: AdapterName, appOptions: AppOptions = {}): Promise<RunningApp> {
  const { basePath = '/api/files', options = {}, framework, asyncContext } = appOptions;
  if (name === 'express') return startExpress(basePath, options, framework, asyncContext);
  if (name === 'fastify') return startFastify(basePath, options, framework, asyncContext);
  if (name === 'fetch') return startFetch(basePath, options, asyncContext);
  if (name === 'hono') return startHono(basePath, options, asyncContext);
  return startKoa(basePath, options, framework, asyncContext);
}
