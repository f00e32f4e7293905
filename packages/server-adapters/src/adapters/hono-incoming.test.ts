import { createHash } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import * as tus from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../storage/memory-storage';
import { postMultipart } from '../test-support/client';
import { patternBytes } from '../test-support/multipart';
import { nodeServerScene } from '../test-support/node-server-scene';
import { updown } from './hono';

// Under @hono/node-server the adapter reads an untouched body from `c.env.incoming`: the
// server's own web body over it (a `Readable.toWeb`, made on first need) is never made. A body
// that a middleware touched first is read through `c.req.raw.body`, as on any other runtime.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the Hono adapter reading Node’s request under @hono/node-server', () => {
  const scene = nodeServerScene();

  /** `updown` at `/files` behind `before`; resolves with the server's origin. */
  function serve(before?: MiddlewareHandler): Promise<string> {
    const app = new Hono();
    if (before) app.use('*', before);
    app.route('/files', updown({ storage: memoryStorage() }));
    return scene.listen(app.fetch);
  }

  async function upload(origin: string, bytes: Uint8Array) {
    const answer = await postMultipart(`${origin}/files/upload`, [
      { name: 'file', filename: 'a.bin', type: 'application/octet-stream', data: bytes },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.files?.[0]).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    const back = await fetch(`${origin}${answer.body.files?.[0]?.url}`);
    expect(sha256(new Uint8Array(await back.arrayBuffer()))).toBe(sha256(bytes));
  }

  it('takes a multipart upload without making the web body', async () => {
    let raw: Request | undefined;
    const origin = await serve(async (c, next) => {
      raw = c.req.raw;
      await next();
    });
    await upload(origin, patternBytes(3 * 1024 * 1024 + 17));
    expect(scene.toWeb).not.toHaveBeenCalled();
    // Nor anything else of the web `Request` behind the lazy one.
    const made = Object.getOwnPropertySymbols(raw as Request).map((s) => s.description);
    expect(made).toContain('incomingKey');
    expect(made).not.toContain('requestCache');
  });

  it('takes tus PATCHes without making the web body', async () => {
    const origin = await serve();
    const bytes = Buffer.from(patternBytes(1024 * 1024 + 5, 3));
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(bytes, {
        endpoint: `${origin}/files/tus`,
        chunkSize: 256 * 1024,
        retryDelays: [],
        onSuccess: () => resolve(upload.url as string),
        onError: reject,
      });
      upload.start();
    });
    const back = await fetch(`${origin}/files/${url.split('/').pop()}`);
    expect(sha256(new Uint8Array(await back.arrayBuffer()))).toBe(sha256(bytes));
    expect(scene.toWeb).not.toHaveBeenCalled();
  });

  // Each middleware leaves the body readable through `c.req.raw.body`, and each made the web
  // body: reading `c.env.incoming` beside it would lose or stall bytes.
  const touching: [string, (c: Context) => Promise<unknown> | unknown][] = [
    // Made, not read: its first pull, a moment later, starts reading Node's request.
    ['asked for c.req.raw.body', (c) => c.req.raw.body],
    ['read a clone of the request whole', (c) => c.req.raw.clone().arrayBuffer()],
  ];
  for (const [what, touch] of touching) {
    it(`reads through c.req.raw.body after a middleware ${what}`, async () => {
      const origin = await serve(async (c, next) => {
        // Not awaited unless it must be: the adapter runs before the web body's first pull.
        const touched = touch(c);
        if (touched instanceof Promise) await touched;
        await next();
      });
      await upload(origin, patternBytes(2 * 1024 * 1024 + 3, 5));
      expect(scene.toWeb).toHaveBeenCalled();
    });
  }
});
