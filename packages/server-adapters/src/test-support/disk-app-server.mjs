// One app server over diskStorage, run as its own process by the fault tests
// (child_process.fork) so it can be killed with SIGKILL mid-write: the built package on
// node:http, over the folder in DIR. Tells its port over IPC.
import { createServer } from 'node:http';
import { createUploadHandler, diskStorage } from '../../dist/index.js';

const handler = createUploadHandler({
  // fsync off: a kill -9 loses nothing the kernel holds; only the process dies.
  storage: diskStorage({ directory: process.env.DIR, fsync: false }),
  authorize: () => true,
});

const BASE = '/api/files';
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (!url.startsWith(`${BASE}/`)) {
    res.writeHead(404).end();
    return;
  }
  handler.handle(req, res, { path: url.slice(BASE.length), basePath: BASE, framework: null }).then(
    (handled) => {
      if (!handled) res.writeHead(404).end();
    },
    () => res.destroy(),
  );
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
