import { diskStorage, HandlerError } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express from 'express';
import { rules } from '../shared/rules';

const app = express();

app.use(
  '/api/files',
  updown({
    storage: diskStorage({ directory: './uploads' }),
    rules,
    // Check the first bytes against `accept`: a renamed .exe is not an image.
    sniff: true,
    // Every limit is finite by default; tighten what your app needs.
    limits: {
      fileSize: 50 * 1024 * 1024, // cut off at the limit, never read to the end
      files: 5,
      fields: 20,
      fieldSize: 4096,
      idleTimeoutMs: 15_000,
    },
    // Before any byte is stored or read. Throw or return false to refuse.
    authorize({ operation, framework: req }) {
      const user = req.get('x-user');
      if (!user) throw new HandlerError('unauthorized', 'Sign in to upload');
      if (operation === 'delete' && user !== 'admin') return false; // 403
      return true;
    },
  }),
);

app.listen(Number(process.env.PORT ?? 3000));
