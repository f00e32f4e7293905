import type { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type FetchUpdownOptions, updown } from '../adapters/fetch';

/**
 * The fetch entry served on `node:http` by `@hono/node-server`'s bridge, so real clients
 * (fetch, raw sockets, tus-js-client) reach it over loopback while it sees real `Request`s
 * (Node's own, not the bridge's lighter class) and answers with real `Response`s. Beside it
 * the app routes of the other test apps: `GET <base>/app/echo`, `GET /health`, `POST /json`.
 */
export async function startFetchServer(
  basePath: string,
  options: FetchUpdownOptions,
  appRoute: string,
  als?: AsyncLocalStorage<string>,
): Promise<Server> {
  const handle = updown({ prefix: basePath, ...options });
  const text = (body: string) =>
    new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const app = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === basePath + appRoute) return text('app');
    if (request.method === 'GET' && pathname === '/health') return text('ok');
    if (request.method === 'POST' && pathname === '/json') {
      return Response.json({ got: await request.json() });
    }
    return handle(request);
  };
  const listener = getRequestListener(
    (request) =>
      als ? als.run(request.headers.get('x-request-id') ?? '', () => app(request)) : app(request),
    { overrideGlobalObjects: false },
  );
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
