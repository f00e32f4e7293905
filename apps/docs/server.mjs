// One process for `npm start`: the built docs site, served statically, and the Express
// adapter under /api/files, so the live demos upload to a real server: on disk storage, or
// in an S3-compatible bucket when UPDOWN_S3_BUCKET is set (see demo/storage.mjs for the
// other UPDOWN_S3_* variables: endpoint, region, access key, secret, prefix).
//   PORT             defaults to 4321; 0 picks a free port (the real one is printed)
//   HOST             defaults to 127.0.0.1
//   UPDOWN_DATA_DIR  where uploads are stored on disk; defaults to ./data/uploads (ignored by git)
//   UPDOWN_KEEP_HOURS  how long the demo keeps an upload; defaults to 24
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express from 'express';
import { keepRecentUploads } from './demo/retention.mjs';
import { demoRules } from './demo/rules.mjs';
import { demoAuthorize, demoSession } from './demo/session.mjs';
import { demoStorage } from './demo/storage.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The demo API, an Express app: the adapter at /api/files, a JSON 404 for the rest of /api.
 * `storage` defaults to disk storage in `dataDirectory`. With `keepMs`, uploads older than
 * that are removed (now, then every hour at most).
 */
export function createDemoApi({
  dataDirectory = here('./data/uploads'),
  storage = diskStorage({ directory: dataDirectory }),
  keepMs,
} = {}) {
  const api = express();
  api.disable('x-powered-by');
  if (keepMs) keepRecentUploads(storage, { keepMs });
  api.use(
    '/api/files',
    demoSession,
    updown({
      storage,
      rules: demoRules,
      limits: { fileSize: demoRules.maxSize, files: demoRules.maxFiles },
      // Deletes need an authorize: the session that uploaded a file may delete it (and
      // resume or cancel its tus upload); downloads stay public.
      authorize: demoAuthorize,
    }),
  );
  // Anything else under /api is not ours to answer with a page.
  api.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not-found', message: 'No such route' } });
  });
  return api;
}

export function createDemoApp({
  dataDirectory = here('./data/uploads'),
  storage,
  siteDirectory = here('./dist'),
  keepMs,
} = {}) {
  const app = express();
  app.disable('x-powered-by');
  app.use(createDemoApi({ dataDirectory, storage, keepMs }));
  app.use(express.static(siteDirectory, { extensions: ['html'] }));
  app.use((_req, res) => {
    res.status(404).sendFile(resolve(siteDirectory, '404.html'));
  });
  return app;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const siteDirectory = here('./dist');
  // Never print a URL to a site that is not there.
  if (!existsSync(resolve(siteDirectory, 'index.html'))) {
    console.error(
      'updown docs: the site is not built (no dist/index.html). Run `npm start` from the repository root.',
    );
    process.exit(1);
  }
  const dataDirectory = resolve(process.env.UPDOWN_DATA_DIR ?? here('./data/uploads'));
  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? '127.0.0.1';
  const keepMs = Number(process.env.UPDOWN_KEEP_HOURS ?? 24) * 60 * 60 * 1000;
  const { storage, where } = await demoStorage({ dataDirectory });
  const server = createDemoApp({ storage, siteDirectory, keepMs }).listen(port, host);
  // Node's 300 s request timeout would cut a slow upload; the adapter's limits pace it instead.
  server.requestTimeout = 0;
  server.on('listening', () => {
    const { port: real } = server.address();
    const shown = host.includes(':') ? `[${host}]` : host;
    console.log(`updown docs running at http://${shown}:${real}/ (uploads in ${where})`);
  });
  server.on('error', (error) => {
    console.error(`updown docs: cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
