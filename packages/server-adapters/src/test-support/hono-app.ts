import type { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { type HonoUpdownOptions, updown } from '../adapters/hono';

/**
 * The Hono adapter mounted with `app.route` in a Hono app, served on `node:http` by
 * `@hono/node-server` (Node's own `Request`, as in `fetch-app.ts`). Beside it the app routes
 * of the other test apps: `GET <base>/app/echo` (registered after the mount, below it),
 * `GET /health`, `POST /json`.
 */
export async function startHonoServer(
  basePath: string,
  options: HonoUpdownOptions,
  appRoute: string,
  als?: AsyncLocalStorage<string>,
): Promise<Server> {
  const app = new Hono();
  if (als) app.use('*', (c, next) => als.run(c.req.header('x-request-id') ?? '', next));
  app.route(basePath || '/', updown(options));
  app.get(basePath + appRoute, (c) => c.text('app'));
  app.get('/health', (c) => c.text('ok'));
  app.post('/json', async (c) => c.json({ got: await c.req.json() }));
  const server = createServer(getRequestListener(app.fetch, { overrideGlobalObjects: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
