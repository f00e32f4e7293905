import { expectTypeOf } from 'vitest';
import { type NextRouteHandler, updown } from './next';

// The route file's exports are plain route handlers, and `prefix` is required: a route file
// always sits below some path of app/.

export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = updown({
  prefix: '/api/files',
  authorize: (ctx) => {
    expectTypeOf(ctx.framework).toEqualTypeOf<Request>();
    return ctx.request.headers.get('authorization') !== null;
  },
});
expectTypeOf(GET).toEqualTypeOf<NextRouteHandler>();
expectTypeOf(OPTIONS).parameters.toEqualTypeOf<[request: Request]>();

// @ts-expect-error prefix is required
updown({});
