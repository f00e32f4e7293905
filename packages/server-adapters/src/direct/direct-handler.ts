import { authorizeRequest } from '../handler/authorize-request';
import { HandlerError } from '../handler/errors';
import type { HandlerOptions } from '../handler/handler-types';
import type { Route } from '../handler/routes';
import { isValidFileId } from '../storage/file-id';
import type { Storage } from '../storage/storage';
import { createDirectRuntime, type DirectAnswer, type DirectCall } from './direct-runtime';
import { abortDirect } from './routes/abort-direct';
import { completeDirect } from './routes/complete-direct';
import { createDirect } from './routes/create-direct';
import { listParts } from './routes/list-parts';
import { signParts } from './routes/sign-parts';

/** Which direct route a request is for. */
export interface DirectRequest {
  path: Route['path'];
  method: string;
  /** The `:id` segment, as it came. */
  id?: string | undefined;
}

export interface DirectHandler<F, R extends object> {
  /**
   * Answers one request to a direct route (as matched, `ctx` with its operation):
   * `authorize` first, with the pending upload as `ctx.file`, then the route. Throws what
   * the client is to be answered with as an error.
   */
  handle(request: DirectRequest, call: DirectCall<F, R>): Promise<DirectAnswer>;
  /** Drops the pending uploads past their expiry now; resolves with how many went. */
  sweep(): Promise<number>;
}

/**
 * The direct-to-bucket routes over the storage's `direct` side: the server signs and checks,
 * the bytes go from the client to the bucket. With a storage that has none, every route is
 * 404.
 */
export function createDirectHandler<F, R extends object>(
  storage: Storage,
  options: HandlerOptions<F, R>,
): DirectHandler<F, R> {
  const rt = storage.direct ? createDirectRuntime(storage.direct, storage, options) : null;

  async function handle(
    { path, method, id }: DirectRequest,
    call: DirectCall<F, R>,
  ): Promise<DirectAnswer> {
    if (!rt) throw new HandlerError('not-found', 'This storage takes no direct uploads');
    const { ctx } = call;
    // Read before authorize, so that it can check whose upload this is.
    const found = id !== undefined && isValidFileId(id) ? await rt.store.get(id) : null;
    if (found) ctx.file = found;
    call.auth = await authorizeRequest(options, ctx);
    if (id === undefined) return createDirect(rt, call);
    const upload = await rt.live(found);
    if (path === '/direct/:id') return abortDirect(rt, upload);
    if (path === '/direct/:id/complete') return completeDirect(rt, call, upload);
    return method === 'GET' ? listParts(rt, upload) : signParts(rt, call, upload);
  }

  return { handle, sweep: () => rt?.sweep() ?? Promise.resolve(0) };
}
