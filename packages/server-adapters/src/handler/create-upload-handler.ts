import type { IncomingMessage, ServerResponse } from 'node:http';
import { deleteFile } from '../download/delete-file';
import { serveDownload } from '../download/download';
import { discardRequestBody } from '../intake/discard-body';
import { isValidFileId } from '../intake/file-id';
import { receiveUpload } from '../intake/receive-upload';
import { diskStorage } from '../storage/disk-storage';
import type { Storage } from '../storage/storage';
import { createTusHandler } from '../tus/tus-handler';
import { authorizeRequest } from './authorize-request';
import { HandlerError, sendError } from './errors';
import type { HandlerContext, HandlerOptions, Operation, UploadHandler } from './handler-types';
import { resolveLimits } from './limits';
import { withoutTrailingSlash } from './mount-path';

interface Route {
  operation: Exclude<Operation, 'tus'>;
  id?: string;
}

/** Splits `/x?y` into the path and its query; tolerant of a missing leading slash. */
function splitPath(path: string): { pathname: string; search: URLSearchParams } {
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  const search = new URLSearchParams(q === -1 ? '' : path.slice(q + 1));
  return { pathname: pathname.startsWith('/') ? pathname : `/${pathname}`, search };
}

function querySearch(url: string | undefined): URLSearchParams {
  const q = url?.indexOf('?') ?? -1;
  return new URLSearchParams(q === -1 || !url ? '' : url.slice(q + 1));
}

/**
 * Which contract route a request is for, or `null` when it is none of ours. `/tus` and
 * `/tus/*` belong to the tus handler, which `handle` asks first, so they are `null` here.
 */
function matchRoute(method: string | undefined, pathname: string): Route | null {
  const trimmed = withoutTrailingSlash(pathname);
  if (trimmed === '/tus' || trimmed.startsWith('/tus/')) return null;
  if (trimmed === '/upload' && method === 'POST') return { operation: 'upload' };
  const segments = trimmed.split('/');
  if (segments.length !== 2) return null;
  const id = segments[1] ?? '';
  if (!id) return null;
  if (method === 'GET' || method === 'HEAD') return { operation: 'download', id };
  if (method === 'DELETE') return { operation: 'delete', id };
  return null;
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

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    context: { path: string; basePath: string; framework: F },
  ): Promise<boolean> {
    const { pathname, search } = splitPath(context.path);
    if (await tus.handle(req, res, context)) {
      discardRequestBody(req, res);
      return true;
    }
    const route = matchRoute(req.method, pathname);
    if (!route) return false;
    const basePath = withoutTrailingSlash(context.basePath);
    const ctx: HandlerContext<F> = {
      operation: route.operation,
      req,
      res,
      framework: context.framework,
      ...(route.id === undefined ? {} : { id: route.id }),
    };
    try {
      await authorizeRequest(options, ctx);
      if (route.operation === 'upload') {
        await receiveUpload(req, res, ctx, { storage, limits, options, basePath });
        return true;
      }
      // An id that is not one of ours is simply not found: it never reaches the storage.
      const id = route.id ?? '';
      if (!isValidFileId(id)) throw new HandlerError('not-found', 'No such file');
      if (route.operation === 'delete') await deleteFile(res, storage, id);
      else {
        const query = search.has('disposition') ? search : querySearch(req.url);
        const disposition = query.get('disposition') === 'inline' ? 'inline' : 'attachment';
        await serveDownload(req, res, storage, id, disposition);
      }
    } catch (error) {
      sendError(res, error);
    } finally {
      // Whatever was answered early, the rest of the body must not be read to its end.
      discardRequestBody(req, res);
    }
    return true;
  }

  return { handle, storage, sweepExpiredUploads: () => tus.sweep() };
}
