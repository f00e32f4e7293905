import { type FetchHandlerContext, type FetchUpdownOptions, updown as fetchUpdown } from './fetch';

/** Options of the Next.js adapter: the fetch entry's, with the route file's path as `prefix`. */
export interface NextUpdownOptions extends FetchUpdownOptions {
  /**
   * Where the route file sits under `app/`, without its catch-all segment: `'/api/files'`
   * for `app/api/files/[...updown]/route.ts`.
   */
  prefix: string;
}

/**
 * What `authorize` and `onUploaded` receive under Next.js: `request` and `framework` are the
 * route's `Request` (a `NextRequest`); `cookies()` and `headers()` from `next/headers` work
 * inside the hooks too.
 */
export type NextHandlerContext = FetchHandlerContext;

/** An App Router route handler: the route's `Request` in, its `Response` out. */
export type NextRouteHandler = (request: Request) => Promise<Response>;

/** One route handler for each method of the contract, to export from the route file. */
export interface NextRouteHandlers {
  GET: NextRouteHandler;
  HEAD: NextRouteHandler;
  POST: NextRouteHandler;
  PATCH: NextRouteHandler;
  DELETE: NextRouteHandler;
  OPTIONS: NextRouteHandler;
}

/**
 * The upload contract as App Router route handlers, for a catch-all route file. Next.js gives
 * route handlers the body unparsed, as a stream, and this reads it so; a proxy (middleware)
 * that runs on these paths would buffer bodies and cut them at its size limit. Pair with
 * `export const runtime = 'nodejs'` and `export const dynamic = 'force-dynamic'`.
 *
 * @example
 * // app/api/files/[...updown]/route.ts
 * export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = updown({
 *   prefix: '/api/files',
 *   storage: diskStorage({ directory: './uploads' }),
 * })
 */
export function updown(options: NextUpdownOptions): NextRouteHandlers {
  const handle = fetchUpdown(options);
  // One function serves every method: the handler routes on the request's own method.
  const route: NextRouteHandler = (request) => handle(request);
  return { GET: route, HEAD: route, POST: route, PATCH: route, DELETE: route, OPTIONS: route };
}
