import { createServer } from 'node:http';
import { createUploadHandler, memoryStorage, sendError } from '@updown/server-adapters';

// The framework-free handler, on Node's own request and response.
const handler = createUploadHandler({ storage: memoryStorage() });

createServer(async (req, res) => {
  const url = req.url ?? '/';
  if (!url.startsWith('/files/')) {
    res.statusCode = 404;
    res.end();
    return;
  }
  try {
    const path = url.slice('/files'.length);
    const handled = await handler.handle(req, res, {
      path,
      basePath: '/files',
      framework: undefined,
    });
    if (!handled) {
      res.statusCode = 404;
      res.end();
    }
  } catch (error) {
    sendError(res, error); // JSON { error: { code, message } }, no internals
  }
}).listen(Number(process.env.PORT ?? 3000));
