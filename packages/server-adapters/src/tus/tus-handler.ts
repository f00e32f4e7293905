import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange, NodeRequestParts } from '../exchange/exchange';
import { nodeExchange } from '../exchange/node-exchange';
import { authorizeRequest } from '../handler/authorize-request';
import { HandlerError } from '../handler/errors';
import type {
  HandlerContext,
  HandlerOptions,
  MountContext,
  Operation,
  TusOptions,
} from '../handler/handler-types';
import { splitQuery, withoutTrailingSlash } from '../handler/mount-path';
import { reportError } from '../handler/report-error';
import { matchRoute } from '../handler/routes';
import type { ResumableStorage } from '../storage/resumable-storage';
import type { Storage } from '../storage/storage';
import { finishedUpload } from './finished-upload';
import { createUpload } from './routes/create-upload';
import { describeServer } from './routes/describe-server';
import { headUpload } from './routes/head-upload';
import { patchUpload } from './routes/patch-upload';
import { terminateUpload } from './routes/terminate-upload';
import { fail } from './tus-answer';
import { decodeSegment, effectiveMethod, TUS_VERSION } from './tus-protocol';
import { createTusRuntime, type TusCall } from './tus-runtime';

export interface TusHandler<F = unknown> {
  /**
   * Serves `/tus` and `/tus/:id` (a path below the mount point) on Node's objects; resolves
   * `false` for any other path.
   */
  handle(req: IncomingMessage, res: ServerResponse, context: MountContext<F>): Promise<boolean>;
  /** Removes expired partial uploads now; resolves with how many went. */
  sweep(): Promise<number>;
  readonly resumable: ResumableStorage;
}

/** The tus routes on any runtime's exchange, as the dispatcher serves them. */
export interface TusRoutes<F, R extends object> {
  /** Serves `/tus` and `/tus/:id`; resolves `false`, having answered nothing, for any other path. */
  handle(exchange: Exchange<R>, context: MountContext<F>): Promise<boolean>;
  sweep(): Promise<number>;
  readonly resumable: ResumableStorage;
  /** The per-upload lock (this process's, then `tus.locker`), lent to the direct routes. */
  withLock<T>(id: string, run: () => Promise<T>): Promise<T>;
}

/** A storage that may bring its own resumable side (diskStorage does): any `Storage`. */
export type MaybeResumable = Storage;

/**
 * The tus 1.0.0 server (core, creation, creation-with-upload, creation-defer-length,
 * termination, expiration, checksum, concatenation) over the handler's storage, with the same `rules`,
 * `limits`, `authorize` (operations `tus-create`, `tus-resume`, `tus-terminate`) and `onUploaded` as multipart uploads. A
 * finished upload is published into the storage under its tus id, so `GET /:id` serves it.
 *
 * The SHA-256 of the stored file is computed incrementally across PATCH requests while the
 * process lives; after a restart (or a lost hash) it is computed once at publish, by reading
 * the partial file.
 */
export function createTusHandler<F = unknown>(
  storage: Storage,
  options: HandlerOptions<F> = {},
  tus: TusOptions = {},
): TusHandler<F> {
  const routes = createTusRoutes<F, NodeRequestParts>(storage, options, tus);
  return {
    handle: (req, res, context) => routes.handle(nodeExchange(req, res), context),
    sweep: routes.sweep,
    resumable: routes.resumable,
  };
}

/** `createTusHandler` on any runtime's exchange: what the dispatcher mounts. */
export function createTusRoutes<F, R extends object>(
  storage: Storage,
  options: HandlerOptions<F, R> = {},
  tus: TusOptions = {},
): TusRoutes<F, R> {
  const rt = createTusRuntime(storage, options, tus);

  async function handle(exchange: Exchange<R>, context: MountContext<F>): Promise<boolean> {
    const method = effectiveMethod(exchange.method, exchange.headers['x-http-method-override']);
    const match = matchRoute(method, splitQuery(context.path)[0]);
    if (!match?.route.tus) return false;
    const id = match.id === undefined ? undefined : decodeSegment(match.id);
    if (id === null) {
      fail(exchange, new HandlerError('malformed-request', 'The upload URL is malformed'));
      return true;
    }
    const basePath = withoutTrailingSlash(context.basePath);
    let ctx: HandlerContext<F, R> | undefined;
    try {
      if (method === 'OPTIONS') {
        describeServer(rt, { exchange });
        return true;
      }
      if (exchange.headers['tus-resumable'] !== TUS_VERSION) {
        throw new HandlerError('unsupported-version', `Tus-Resumable must be ${TUS_VERSION}`, {
          headers: { 'Tus-Version': TUS_VERSION },
        });
      }
      if (!Object.hasOwn(match.route.methods, method)) {
        throw new HandlerError('method-not-allowed', 'Method not allowed here', {
          headers: { Allow: Object.keys(match.route.methods).join(', ') },
        });
      }
      ctx = {
        // On the effective method: a POST that says it is a DELETE is a termination.
        operation: match.route.methods[method] as Operation,
        ...exchange.parts,
        framework: context.framework,
        ...(id === undefined ? {} : { id }),
      } as HandlerContext<F, R>;
      const call: TusCall<F, R> = { exchange, ctx, basePath };
      if (id !== undefined && options.authorize) {
        // So that authorize can check whose upload this is.
        const file = (await rt.store.getPartialInfo(id)) ?? (await finishedUpload(rt, id));
        if (file) ctx.file = file;
      }
      call.auth = await authorizeRequest(options, ctx);
      if (id === undefined) await createUpload(rt, call);
      else if (method === 'HEAD') await headUpload(rt, call, id);
      else if (method === 'PATCH') await patchUpload(rt, call, id);
      else await terminateUpload(rt, call, id);
    } catch (error) {
      if (ctx) reportError(options, error, ctx);
      fail(exchange, error);
    }
    return true;
  }

  return { handle, sweep: rt.sweep, resumable: rt.store, withLock: rt.withLock };
}
