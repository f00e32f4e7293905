import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createUploadHandler } from '../handler/create-upload-handler';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';

/** Options of the Express adapter: the handler's, with hooks that see Express's `Request`. */
export type ExpressUpdownOptions = HandlerOptions<Request>;

/** What `authorize` and `onUploaded` receive under Express; `framework` is the `Request`. */
export type ExpressHandlerContext = HandlerContext<Request>;

/**
 * Express middleware serving the upload contract below the path it is mounted at
 * (Express 4 and 5). Requests it does not own go on to `next()`.
 *
 * It reads the request body itself, as a stream. `express.json()` and `express.urlencoded()`
 * leave `multipart/form-data` alone, so they may come before it; a parser that reads every
 * body (`express.raw({ type: '*\/*' })`, multer on the same path) must come after it.
 *
 * @example
 * app.use('/api/files', updown({ storage: diskStorage({ directory: './uploads' }), rules }))
 */
export function updown(options: ExpressUpdownOptions = {}): RequestHandler {
  const handler = createUploadHandler<Request>(options);
  return function updownMiddleware(req: Request, res: Response, next: NextFunction): void {
    handler
      // Below a mount, Express's `req.url` is relative to it and keeps the query string.
      .handle(req, res, { path: req.url, basePath: req.baseUrl, framework: req })
      .then((handled) => {
        if (!handled) next();
      }, next);
  };
}
