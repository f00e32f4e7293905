import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rules } from '../shared/rules';

// The origin your pages are served from: never `*` when the browser sends cookies.
const APP_ORIGIN = 'http://localhost:5173';

// What the browser may send: multipart uploads need only Content-Type; tus sends its own headers.
const ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Offset',
  'Upload-Metadata',
  'Upload-Checksum',
  'Upload-Concat',
  'Upload-Defer-Length',
];
// What scripts may read: tus finds its upload by Location and resumes from Upload-Offset; a
// download reads its name, size and range from the others.
const EXPOSE_HEADERS = [
  'Location',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Tus-Checksum-Algorithm',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Expires',
  'Upload-Metadata',
  'Content-Disposition',
  'Content-Length',
  'Content-Range',
  'ETag',
];

function allowApp(req: Request, res: Response, next: NextFunction): void {
  if (req.get('origin') !== APP_ORIGIN) {
    next();
    return;
  }
  res.set({
    'Access-Control-Allow-Origin': APP_ORIGIN,
    'Access-Control-Allow-Credentials': 'true', // for `withCredentials: true` on the client
    'Access-Control-Expose-Headers': EXPOSE_HEADERS.join(', '),
    Vary: 'Origin',
  });
  // A preflight asks before the real request; tus's own OPTIONS (no Access-Control-Request-
  // Method) goes on to the adapter, which answers it with the server's capabilities.
  if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
    res.set({
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': ALLOW_HEADERS.join(', '),
      'Access-Control-Max-Age': '86400',
    });
    res.status(204).end();
    return;
  }
  next();
}

const app = express();
app.use(
  '/api/files',
  allowApp,
  updown({ storage: diskStorage({ directory: './uploads' }), rules }),
);
app.listen(Number(process.env.PORT ?? 3000));
