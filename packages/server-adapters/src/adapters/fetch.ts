import type { WebRequestParts } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { createFetchHandler } from './fetch-handler';

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
 * @example
 * const handle = updown({ prefix: '/api/files', storage: memoryStorage() });
 * Bun.serve({ fetch: handle });
 */
export function updown(options: FetchUpdownOptions = {}): (request: Request) => Promise<Response> {
  const { prefix, ...handlerOptions } = options;
  const handler = createFetchHandler<Request>(handlerOptions);
  const basePath = prefix ?? '';
  return async (request) =>
    (await handler.handle(request, { basePath, framework: request })) ?? notFound();
}
