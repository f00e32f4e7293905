import { authorizeRequest } from '../handler/authorize-request';
import { HandlerError } from '../handler/errors';
import type { HandlerOptions } from '../handler/handler-types';
import type { Route } from '../handler/routes';
import { isValidFileId } from '../storage/file-id';
import type { Storage } from '../storage/storage';
import {
  createDirectRuntime,
  type DirectAnswer,
  type DirectCall,
  type DirectShared,
} from './direct-runtime';
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
   * `authorize` first, with the pending upload as `ctx.file`, then the route, all of it
   * holding the upload's lock, so that two requests about one upload (two completions, a
   * completion and an abort) never interleave, on this server or another. Throws what the
   * client is to be answered with as an error.
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
  shared: DirectShared,
): DirectHandler<F, R> {
  const rt = storage.direct ? createDirectRuntime(storage.direct, storage, options, shared) : null;

  async function handle(
    { path, method, id }: DirectRequest,
    call: DirectCall<F, R>,
  ): Promise<DirectAnswer> {
    const runtime = rt;
    if (!runtime) throw new HandlerError('not-found', 'This storage takes no direct uploads');
    const { ctx } = call;
    const known = id !== undefined && isValidFileId(id) ? id : null;
    const serve = async (): Promise<DirectAnswer> => {
      // Read before authorize, so that it can check whose upload this is.
      const found = known ? await runtime.store.get(known) : null;
      if (found) ctx.file = found;
      call.auth = await authorizeRequest(options, ctx);
      if (id === undefined) return createDirect(runtime, call);
      const upload = await runtime.live(found);
      if (path === '/direct/:id') return abortDirect(runtime, upload);
      if (path === '/direct/:id/complete') return completeDirect(runtime, call, upload);
      return method === 'GET' ? listParts(runtime, upload) : signParts(runtime, call, upload);
    };
    // A new upload has no id to lock yet; an id that is not one of ours is simply unknown.
    return known ? runtime.withLock(known, serve) : serve();
  }

  return { handle, sweep: () => rt?.sweep() ?? Promise.resolve(0) };
}
