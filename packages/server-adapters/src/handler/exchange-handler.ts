import type { IncomingMessage, ServerResponse } from 'node:http';
import { deleteFile } from '../download/delete-file';
import { serveDownload } from '../download/download';
import { discardRequestBody } from '../intake/discard-body';
import { receiveUpload } from '../multipart/receive-upload';
import { diskStorage } from '../storage/disk-storage';
import { isValidFileId } from '../storage/file-id';
import type { Storage } from '../storage/storage';
import { createTusHandler } from '../tus/tus-handler';
import { TUS_VERSION } from '../tus/tus-protocol';
import { authorizeRequest } from './authorize-request';
import { HandlerError, sendError } from './errors';
import type {
  HandlerContext,
  HandlerOptions,
  MountContext,
  Operation,
  UploadHandler,
} from './handler-types';
import { resolveLimits } from './limits';
import { splitQuery, withoutTrailingSlash } from './mount-path';
import { reportError } from './report-error';
import { matchRoute } from './routes';
import { uploadSlots } from './upload-slots';

/** Splits `/x?y` into the path and its query; tolerant of a missing leading slash. */
function splitPath(path: string): { pathname: string; search: URLSearchParams } {
  const [pathname, query] = splitQuery(path);
  return {
    pathname: pathname.startsWith('/') ? pathname : `/${pathname}`,
    search: new URLSearchParams(query),
  };
}

/**
 * The framework-free handler behind every adapter. Mount it anywhere; `handle` answers the
 * contract's routes and resolves `false` for any other request.
 *
 * @example
 * const handler = createUploadHandler({ storage: diskStorage({ directory: './uploads' }) });
 * createServer(async (req, res) => {
 *   const path = req.url?.replace(/^\/api\/files/, '') ?? '/';
 *   if (!(await handler.handle(req, res, { path, basePath: '/api/files', framework: null }))) {
 *     res.statusCode = 404;
 *     res.end();
 *   }
 * });
 */
export function createUploadHandler<F = unknown>(
  options: HandlerOptions<F> = {},
): UploadHandler<F> {
  const storage: Storage = options.storage ?? diskStorage({ directory: './uploads' });
  const limits = resolveLimits(options.limits, options.rules);
  const tus = createTusHandler<F>(storage, options, options.tus);
  const slots = uploadSlots(limits.concurrentUploads);

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    context: MountContext<F>,
  ): Promise<boolean> {
    const { pathname, search } = splitPath(context.path);
    const method = req.method ?? '';
    const match = matchRoute(method, pathname);
    if (!match) return false;
    if (match.route.tus) {
      // Creations and PATCHes bring bytes (a POST may say it is a PATCH): they take a slot.
      const handled = await (method === 'POST' || method === 'PATCH'
        ? slots.hold(() => tus.handle(req, res, context), { 'Tus-Resumable': TUS_VERSION })
        : tus.handle(req, res, context)
      ).catch((error: unknown) => {
        sendError(res, error);
        return true;
      });
      if (handled) discardRequestBody(req, res);
      return handled;
    }
    const operation = match.route.methods[method] as Operation;
    const basePath = withoutTrailingSlash(context.basePath);
    const ctx: HandlerContext<F> = {
      operation,
      req,
      res,
      framework: context.framework,
      ...(match.id === undefined ? {} : { id: match.id }),
    };
    try {
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
          receiveUpload(req, res, ctx, { storage, limits, options, basePath, auth }),
        );
        return true;
      }
      if (!isValidFileId(id)) throw new HandlerError('not-found', 'No such file');
      if (operation === 'delete') await deleteFile(res, storage, id);
      else {
        const query = search.has('disposition')
          ? search
          : new URLSearchParams(splitQuery(req.url ?? '')[1]);
        const disposition = query.get('disposition') === 'inline' ? 'inline' : 'attachment';
        await serveDownload(req, res, storage, id, {
          disposition,
          cacheControl: options.cacheControl,
          file: file ?? undefined,
        });
      }
    } catch (error) {
      reportError(options, error, ctx);
      sendError(res, error);
    } finally {
      // Whatever was answered early, the rest of the body must not be read to its end.
      discardRequestBody(req, res);
    }
    return true;
  }

  return { handle, storage, sweepExpiredUploads: () => tus.sweep() };
}
