import { serve } from '@hono/node-server';
import { diskStorage, HandlerError } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/hono';
import { Hono } from 'hono';
import { rules } from '../shared/rules';

const app = new Hono();

// POST /api/files/upload, GET|HEAD|DELETE /api/files/:id, /api/files/tus...
// The sub-app learns its mount path from the route: mount it anywhere, once or twice.
app.route(
  '/api/files',
  updown({
    storage: diskStorage({ directory: './uploads' }),
    rules, // the browser's rules, judged again as the bytes arrive
    // `framework` is Hono's Context: headers, cookies, whatever your middleware set.
    authorize({ operation, framework: c }) {
      const user = c.req.header('x-user');
      if (operation === 'delete' || operation === 'tus-terminate') return user === 'admin';
      if (!user) throw new HandlerError('unauthorized', 'Sign in to upload');
      return true;
    },
  }),
);

// On Node. Bun and Deno serve the same app with `export default app` (or `Deno.serve(app.fetch)`).
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
