import { answerDirect } from '../direct/answer-direct';
import { createDirectHandler } from '../direct/direct-handler';
import { deleteFile } from '../download/delete-file';
import { serveDownload } from '../download/download';
import { type DownloadQuery, readDownloadQuery } from '../download/download-query';
import type { Exchange } from '../exchange/exchange';
import { receiveUpload } from '../multipart/receive-upload';
import { isValidFileId } from '../storage/file-id';
import type { Storage } from '../storage/storage';
import { createTusRoutes } from '../tus/tus-handler';
import { TUS_VERSION } from '../tus/tus-protocol';
import { authorizeRequest } from './authorize-request';
import { answerError, HandlerError } from './errors';
import type {
  ExchangeHandler,
  HandlerContext,
  HandlerOptions,
  MountContext,
  Operation,
} from './handler-types';
import { resolveLimits } from './limits';
import { splitQuery, withoutTrailingSlash } from './mount-path';
import { reportError } from './report-error';
import { matchRoute } from './routes';
import { uploadSlots } from './upload-slots';

/** What a download without a query asks for. */
const NO_QUERY: DownloadQuery = readDownloadQuery(new URLSearchParams());

/** The path of `/x?y` below the mount; tolerant of a missing leading slash. */
function pathOf(path: string): string {
  const [pathname] = splitQuery(path);
  return pathname.startsWith('/') ? pathname : `/${pathname}`;
}

/**
 * The dispatcher: the one implementation of the contract, over any runtime's exchange.
 * `createUploadHandler` (Node) and the fetch entry are this with their own exchange; `storage`
 * is chosen by them, so that this module loads no storage of its own.
 */
export function createExchangeHandler<F, R extends object>(
  options: HandlerOptions<F, R>,
  storage: Storage,
): ExchangeHandler<F, R> {
  const limits = resolveLimits(options.limits, options.rules);
  const tus = createTusRoutes<F, R>(storage, options, options.tus);
  const slots = uploadSlots(limits.concurrentUploads);
  // One lock per upload id and one pool of slots, whichever routes an upload goes through.
  const direct = createDirectHandler<F, R>(storage, options, { withLock: tus.withLock, slots });

  async function serve(exchange: Exchange<R>, context: MountContext<F>): Promise<boolean> {
    const pathname = pathOf(context.path);
    const method = exchange.method;
    const match = matchRoute(method, pathname);
    if (!match) return false;
    if (options.messages) exchange.messages = options.messages;
    if (match.route.tus) {
      // Creations and PATCHes bring bytes (a POST may say it is a PATCH): they take a slot.
      const handled = await (method === 'POST' || method === 'PATCH'
        ? slots.hold(() => tus.handle(exchange, context), { 'Tus-Resumable': TUS_VERSION })
        : tus.handle(exchange, context)
      ).catch((error: unknown) => {
        answerError(exchange, error);
        return true;
      });
      if (handled) exchange.finish();
      return handled;
    }
    const operation = match.route.methods[method] as Operation;
    const basePath = withoutTrailingSlash(context.basePath);
    const ctx = {
      operation,
      ...exchange.parts,
      framework: context.framework,
      ...(match.id === undefined ? {} : { id: match.id }),
    } as HandlerContext<F, R>;
    try {
      if (match.route.direct) {
        const { path } = match.route;
        const call = { ctx, basePath, body: exchange.body };
        answerDirect(exchange, await direct.handle({ path, method, id: match.id }, call));
        return true;
      }
      // An id that is not one of ours is simply not found: it never reaches the storage.
      const id = match.id ?? '';
      // Read once: authorize judges it, and the download answers from the same record.
      const file =
        operation !== 'upload' && options.authorize && isValidFileId(id)
          ? await storage.stat(id)
          : null;
      if (file) ctx.file = file;
      const auth = await authorizeRequest(options, ctx);
      if (operation === 'upload') {
        await slots.hold(() =>
          receiveUpload(exchange, ctx, { storage, limits, options, basePath, auth }),
        );
        return true;
      }
      if (!isValidFileId(id)) throw new HandlerError('not-found', 'No such file');
      if (operation === 'delete') await deleteFile(exchange, storage, id);
      else {
        // The request target's own query, whatever the adapter left in the mounted path.
        const query = splitQuery(exchange.url)[1];
        await serveDownload(exchange, storage, id, {
          ...(query === '' ? NO_QUERY : readDownloadQuery(new URLSearchParams(query))),
          cacheControl: options.cacheControl,
          file: file ?? undefined,
        });
      }
    } catch (error) {
      reportError(options, error, ctx);
      answerError(exchange, error);
    } finally {
      // Whatever was answered early, the rest of the body must not be read to its end.
      exchange.finish();
    }
    return true;
  }

  return {
    serve,
    storage,
    sweepExpiredUploads: async () => (await tus.sweep()) + (await direct.sweep()),
  };
}
