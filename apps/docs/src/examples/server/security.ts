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
    authorize({ operation, file, framework: req }) {
      const user = req.get('x-user');
      if (!user) throw new HandlerError('unauthorized', 'Sign in to upload');
      // Kept with the file: every later request about it sees it as file.auth.
      if (operation === 'upload' || operation === 'tus-create') return { owner: user };
      // Without authorize, deletes are refused; here only the uploader may delete (else 403).
      if (operation === 'delete' || operation === 'tus-terminate') {
        return file?.auth?.owner === user;
      }
      return true;
    },
    onError(error) {
      console.error('upload failed on the server', error); // a full disk, a bucket that refuses
    },
  }),
);

const server = app.listen(Number(process.env.PORT ?? 3000));
// Node's 300 s requestTimeout would cut slow uploads: limits.maxDurationMs is the limit instead.
server.requestTimeout = 0;
