import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/express';
import express from 'express';
import { rules } from '../core/rules';

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

app.listen(3000);
