import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/fastify';
import Fastify from 'fastify';
import { rules } from '../shared/rules';

const app = Fastify({ logger: true });

// A plugin with its own content-type parser, encapsulated under its prefix.
await app.register(updown, {
  prefix: '/api/files',
  storage: diskStorage({ directory: './uploads' }),
  rules,
});

await app.listen({ port: Number(process.env.PORT ?? 3000) });
