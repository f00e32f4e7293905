import { expectTypeOf } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { createFetchHandler, type FetchHandlerContext, memoryStorage, updown } from './fetch';

// Under the fetch entry the hooks see the Request, as `request` and as `framework`, and no
// Node object; the handler is a plain fetch function.

const handle = updown({
  prefix: '/api/files',
  storage: memoryStorage(),
  authorize: (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<FetchHandlerContext>();
    expectTypeOf(ctx.request).toEqualTypeOf<Request>();
    expectTypeOf(ctx.framework).toEqualTypeOf<Request>();
    // @ts-expect-error Node's objects are not there.
    void ctx.req;
    return ctx.request.headers.get('authorization') !== null;
  },
  onUploaded: (file, ctx) => {
    expectTypeOf(file).toEqualTypeOf<StoredFile>();
    expectTypeOf(ctx.request.url).toEqualTypeOf<string>();
  },
});
expectTypeOf(handle).toEqualTypeOf<(request: Request, env?: unknown) => Promise<Response>>();
// Still a plain fetch handler wherever one is asked for.
expectTypeOf(handle).toMatchTypeOf<(request: Request) => Promise<Response>>();

// A framework over it passes its own request object on as `framework`.
interface HonoLikeContext {
  req: { raw: Request };
}
const handler = createFetchHandler<HonoLikeContext>({
  authorize: (ctx) => {
    expectTypeOf(ctx.framework).toEqualTypeOf<HonoLikeContext>();
    expectTypeOf(ctx.request).toEqualTypeOf<Request>();
  },
});
expectTypeOf(handler.handle).returns.toEqualTypeOf<Promise<Response | null>>();
