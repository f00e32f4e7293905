import type { WebRequestParts } from '../exchange/exchange';
import { untouchedIncoming } from '../exchange/untouched-incoming';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { createBridgedFetchHandler } from './fetch-handler';

// The storages that need no `node:fs`, and the error to throw from hooks, from this entry
// itself: the package root also exports `diskStorage`, which loads `node:fs` on import.
export type { HandlerErrorCode } from '../handler/errors';
export { HandlerError, isHandlerError } from '../handler/errors';
export type { MemoryResumableOptions } from '../storage/memory-resumable';
export { memoryResumable } from '../storage/memory-resumable';
export type { MemoryStorageOptions } from '../storage/memory-storage';
export { memoryStorage } from '../storage/memory-storage';
export type { S3ClientLike, S3StorageOptions } from '../storage/s3-storage';
export { s3Storage } from '../storage/s3-storage';
export { redisLocker } from '../tus/redis-locker';
export type { FetchHandler, FetchMount } from './fetch-handler';
export { createFetchHandler } from './fetch-handler';

/** Options of the fetch entry: the handler's, with hooks that see the `Request`. */
export interface FetchUpdownOptions extends HandlerOptions<Request, WebRequestParts> {
  /** The path the contract is served under, such as `/api/files`. Defaults to the root. */
  prefix?: string;
}

/**
 * What `authorize` and `onUploaded` receive under the fetch entry: `request` and `framework`
 * are both the `Request`.
 */
export type FetchHandlerContext = HandlerContext<Request, WebRequestParts>;

/** The contract's 404, for a request outside `prefix` or on no route of it. */
function notFound(): Response {
  const body = JSON.stringify({ error: { code: 'not-found', message: 'Not found' } });
  return new Response(body, {
    status: new HandlerError('not-found', 'Not found').status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/**
 * The upload contract as a web-standard handler, `Request` in, `Response` out: for Bun,
 * Deno, Cloudflare-style `fetch` exports and any framework that speaks them. Bodies stream
 * both ways, a request outside `prefix` is a 404, and an aborted `request.signal` stores
 * nothing.
 *
 * The second argument is whatever the runtime passes beside the `Request` (Bun's server,
 * Deno's info, a Worker's env): under @hono/node-server it is `{ incoming, outgoing }`, and an
 * upload body nothing has touched is then read from Node's request itself, as the Hono
 * adapter does, rather than through a web stream made of it.
 *
 * @example
 * const handle = updown({ prefix: '/api/files', storage: memoryStorage() });
 * Bun.serve({ fetch: handle });
 */
export function updown(
  options: FetchUpdownOptions = {},
): (request: Request, env?: unknown) => Promise<Response> {
  const { prefix, ...handlerOptions } = options;
  const handler = createBridgedFetchHandler<Request>(handlerOptions);
  const basePath = prefix ?? '';
  return async (request, env) =>
    (await handler.handle(
      request,
      { basePath, framework: request },
      untouchedIncoming(env, request),
    )) ?? notFound();
}
