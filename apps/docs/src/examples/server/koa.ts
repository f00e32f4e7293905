import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/koa';
import Koa from 'koa';
import { rules } from '../shared/rules';

const app = new Koa();

// Before any body parser that reads multipart bodies.
app.use(updown({ prefix: '/api/files', storage: diskStorage({ directory: './uploads' }), rules }));

app.listen(Number(process.env.PORT ?? 3000));
