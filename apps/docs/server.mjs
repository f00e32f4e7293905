// The demo server: the Express adapter on disk storage (./data, ignored by git) under
// /api/files, and the built page. `PORT` is respected; 0 picks a free port.
import { fileURLToPath } from 'node:url';
import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express from 'express';
import { demoRules } from './demo/rules.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export function createDemoApp({ dataDirectory = here('./data/uploads') } = {}) {
  const app = express();
  app.use('/api/files', updown({ storage: diskStorage({ directory: dataDirectory }), rules: demoRules }));
  app.use(express.static(here('./dist')));
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 4321);
  const server = createDemoApp().listen(port, '127.0.0.1', () => {
    console.log(`updown demo running at http://127.0.0.1:${server.address().port}/`);
  });
}
