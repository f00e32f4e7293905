import type { Context, Middleware, Next } from 'koa';
import { createUploadHandler } from '../handler/create-upload-handler';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { normalizeBasePath, pathBelow } from '../handler/mount-path';

/** Options of the Koa adapter: the handler's, with hooks that see Koa's `Context`. */
export interface KoaUpdownOptions extends HandlerOptions<Context> {
  /** The path the contract is served under, such as `/api/files`. Defaults to the root. */
  prefix?: string;
}

/** What `authorize` and `onUploaded` receive under Koa; `framework` is the `Context`. */
export type KoaHandlerContext = HandlerContext<Context>;

/**
 * Koa middleware serving the upload contract below `prefix` (Koa 2 and 3). It answers on
 * Node's own response (`ctx.respond = false`) and passes every other request to `next()`.
 *
 * It reads the request body itself, as a stream: use it before any body parser that would
 * read `multipart/form-data` (`koa-bodyparser` leaves it alone; `koa-body` with
 * `multipart: true` does not).
 *
 * @example
 * app.use(updown({ prefix: '/api/files', storage: diskStorage({ directory: './uploads' }) }))
 */
export function updown(options: KoaUpdownOptions = {}): Middleware {
  const { prefix, ...handlerOptions } = options;
  const basePath = normalizeBasePath(prefix);
  const handler = createUploadHandler<Context>(handlerOptions);
  return async function updownMiddleware(ctx: Context, next: Next): Promise<void> {
    const path = pathBelow(ctx.url, basePath);
    if (path === null) return next();
    ctx.respond = false;
    const onerror = ctx.onerror;
    // Koa hands every socket error of a response to app.on('error'), whose default prints a
    // stack: a client that leaves mid-upload is not a bug of the app. The handler answers its
    // own errors, so nothing else of ours reaches Koa.
    ctx.onerror = (error) => {
      if (!isClientGone(error)) onerror.call(ctx, error);
    };
    const handled = await handler.handle(ctx.req, ctx.res, { path, basePath, framework: ctx });
    if (handled) return;
    ctx.onerror = onerror;
    ctx.respond = true;
    return next();
  };
}

/** What a socket says when the client went away: reset, closed, or ended mid-request. */
const CLIENT_GONE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_EOF_STATE',
]);

function isClientGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && CLIENT_GONE_CODES.has(code);
}
