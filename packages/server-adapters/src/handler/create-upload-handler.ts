import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeExchange } from '../exchange/node-exchange';
import { diskStorage } from '../storage/disk-storage';
import { createExchangeHandler } from './exchange-handler';
import type { HandlerOptions, MountContext, UploadHandler } from './handler-types';

/**
 * The framework-free handler behind the Node adapters, on Node's `req` and `res`. Mount it
 * anywhere; `handle` answers the contract's routes and resolves `false` for any other request.
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
  const handler = createExchangeHandler(
    options,
    options.storage ?? diskStorage({ directory: './uploads' }),
  );
  return {
    handle: (req: IncomingMessage, res: ServerResponse, context: MountContext<F>) =>
      handler.serve(nodeExchange(req, res), context),
    storage: handler.storage,
    sweepExpiredUploads: handler.sweepExpiredUploads,
  };
}
