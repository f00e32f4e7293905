import { type Context, Hono } from 'hono';
import { expectTypeOf } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { updown } from './hono';

// The hooks see Hono's Context typed by the app's Env, and the sub-app fits `app.route`.

type AppEnv = { Variables: { user: string } };

const app = new Hono<AppEnv>();
app.route(
  '/api/files',
  updown<AppEnv>({
    authorize: (ctx) => {
      expectTypeOf(ctx.framework).toEqualTypeOf<Context<AppEnv>>();
      expectTypeOf(ctx.framework.get('user')).toEqualTypeOf<string>();
      expectTypeOf(ctx.request).toEqualTypeOf<Request>();
      return ctx.framework.req.header('authorization') !== undefined;
    },
    onUploaded: (file, ctx) => {
      expectTypeOf(file).toEqualTypeOf<StoredFile>();
      expectTypeOf(ctx.framework).toEqualTypeOf<Context<AppEnv>>();
    },
  }),
);

// Without an Env, the default one.
new Hono().route('/files', updown({ authorize: (ctx) => ctx.framework.req.method !== 'DELETE' }));
