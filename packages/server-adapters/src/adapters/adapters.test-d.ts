import express, { type Request } from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import Koa, { type Context } from 'koa';
import { expectTypeOf } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { updown as expressUpdown } from './express';
import { updown as fastifyUpdown } from './fastify';
import { updown as koaUpdown } from './koa';

// Hooks see the request type of the framework in use, and each adapter fits its framework's
// own registration call without casts.

express().use(
  '/api/files',
  expressUpdown({
    authorize: (ctx) => {
      expectTypeOf(ctx.framework).toEqualTypeOf<Request>();
      return ctx.framework.get('authorization') !== undefined;
    },
    onUploaded: (file, ctx) => {
      expectTypeOf(file).toEqualTypeOf<StoredFile>();
      expectTypeOf(ctx.framework).toEqualTypeOf<Request>();
    },
  }),
);

Fastify().register(fastifyUpdown, {
  prefix: '/api/files',
  limits: { fileSize: 1024 },
  authorize: (ctx) => {
    expectTypeOf(ctx.framework).toEqualTypeOf<FastifyRequest>();
    return ctx.framework.headers.authorization !== undefined;
  },
});

new Koa().use(
  koaUpdown({
    prefix: '/api/files',
    sniff: true,
    authorize: (ctx) => {
      expectTypeOf(ctx.framework).toEqualTypeOf<Context>();
      return ctx.framework.get('authorization') !== '';
    },
  }),
);
