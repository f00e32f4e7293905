import { type Context, type Env, Hono } from 'hono';
import { basePath } from 'hono/route';
import type { WebRequestParts } from '../exchange/exchange';
import { untouchedIncoming } from '../exchange/untouched-incoming';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { createBridgedFetchHandler } from './fetch-handler';

/** Options of the Hono adapter: the handler's, with hooks that see Hono's `Context`. */
export type HonoUpdownOptions<E extends Env = Env> = HandlerOptions<Context<E>, WebRequestParts>;

/**
 * What `authorize` and `onUploaded` receive under Hono: `framework` is the `Context` (its
 * `c.req`, and `c.get(...)` for what the app's middleware set), `request` the raw `Request`.
 */
export type HonoHandlerContext<E extends Env = Env> = HandlerContext<Context<E>, WebRequestParts>;

/**
 * A Hono sub-app serving the upload contract below the path it is mounted at with
 * `app.route` (Hono 4.8+, on any runtime Hono runs on). It reads where it was mounted from
 * the matched route, parameters included, so it can be mounted under several paths; requests
 * below the mount that are none of the contract's go on to the app's next handler.
 *
 * It reads the request body itself, as a stream: keep `bodyLimit` and `c.req.parseBody()`
 * off its routes (`limits` bounds the bodies). On Node under @hono/node-server, a body nothing
 * has touched is read from Node's request (`c.env.incoming`) rather than through
 * `c.req.raw.body`, as the Express adapter reads it; the answer is a `Response` all the same.
 *
 * @example
 * app.route('/api/files', updown({ storage: diskStorage({ directory: './uploads' }), rules }))
 */
export function updown<E extends Env = Env>(options: HonoUpdownOptions<E> = {}): Hono<E> {
  const handler = createBridgedFetchHandler<Context<E>>(options);
  const app = new Hono<E>();
  app.all('*', async (c, next) => {
    const mount = { basePath: basePath(c), framework: c };
    const answer = await handler.handle(c.req.raw, mount, untouchedIncoming(c.env, c.req.raw));
    if (answer) return answer;
    await next();
  });
  return app;
}
