import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express from 'express';
import { avatarRules, rules } from '../shared/rules';

const app = express();

// POST /api/files/upload, GET|HEAD|DELETE /api/files/:id
app.use(
  '/api/files',
  updown({
    storage: diskStorage({ directory: './uploads' }),
    rules, // the browser's rules, judged again as the bytes arrive
    onUploaded: (file, ctx) =>
      console.log(`${file.name} (${file.size} B) from ${ctx.framework.ip}`),
  }),
);

// Another kind of upload, another mount with its own rules: the avatar form's.
app.use(
  '/api/avatars',
  updown({ storage: diskStorage({ directory: './avatars' }), rules: avatarRules }),
);

app.listen(Number(process.env.PORT ?? 3000));
