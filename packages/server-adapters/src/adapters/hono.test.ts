import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { memoryStorage } from '../storage/memory-storage';
import { postMultipart } from '../test-support/client';
import { type HonoHandlerContext, updown } from './hono';

// The Hono sub-app served by @hono/node-server on 127.0.0.1, driven by fetch and
// tus-js-client: the mount path comes from app.route, the hooks get Hono's Context.

type AppEnv = { Variables: { user: string } };

interface Running {
  origin: string;
  close(): Promise<void>;
}

function listen(app: Hono<AppEnv>): Promise<Running> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      const origin = `http://127.0.0.1:${(info as AddressInfo).port}`;
      resolve({
        origin,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeAllConnections();
            server.close(() => done());
          }),
      });
    }) as Server;
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the Hono adapter under @hono/node-server', () => {
  const seen: HonoHandlerContext<AppEnv>[] = [];
  const uploaded: { file: StoredFile; path: string }[] = [];
  let running: Running;

  beforeAll(async () => {
    const app = new Hono<AppEnv>();
    // An app's own middleware, whose result the hooks read from the context.
    app.use('*', async (c, next) => {
      c.set('user', c.req.header('x-user') ?? 'anonymous');
      await next();
    });
    const files = updown<AppEnv>({
      storage: memoryStorage(),
      authorize: (ctx) => {
        seen.push(ctx);
        if (ctx.framework.get('user') === 'mallory') return false;
        if (ctx.operation === 'upload') return { owner: ctx.framework.get('user') };
        if (ctx.operation === 'delete') return ctx.file?.auth?.owner === ctx.framework.get('user');
        return true;
      },
      onUploaded: (file, ctx) => {
        uploaded.push({ file, path: ctx.framework.req.path });
      },
    });
    app.route('/api/files', files);
    // The same sub-app under a path with a parameter: its URLs name the actual path.
    app.route('/orgs/:org/files', files);
    // A route of the app's own below the mount, registered after it, is still reached.
    app.get('/api/files/app/echo', (c) => c.text('app'));
    running = await listen(app);
  });

  afterAll(() => running?.close());

  async function uploadOne(base: string, data: Uint8Array | string, user = 'ada') {
    return postMultipart(
      `${base}/upload`,
      [{ name: 'file', filename: 'notes.txt', type: 'text/plain', data }],
      { 'x-user': user },
    );
  }

  it('takes a multipart upload, named below the mount path, and serves it back', async () => {
    const bytes = randomBytes(300 * 1024);
    const answer = await uploadOne(`${running.origin}/api/files`, bytes);
    expect(answer.status).toBe(201);
    const file = answer.body.files?.[0];
    expect(file).toMatchObject({ name: 'notes.txt', size: bytes.length, sha256: sha256(bytes) });
    expect(file?.url).toBe(`/api/files/${file?.id}`);
    expect(uploaded.at(-1)).toEqual({ file, path: '/api/files/upload' });

    const download = await fetch(`${running.origin}${file?.url}`);
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('answers a Range with 206 and those bytes, HEAD with the length, and 416 past the end', async () => {
    const text = 'hono, served by updown\n';
    const file = (await uploadOne(`${running.origin}/api/files`, text)).body.files![0]!;
    const part = await fetch(`${running.origin}${file.url}`, { headers: { range: 'bytes=6-11' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 6-11/${text.length}`);
    expect(await part.text()).toBe(text.slice(6, 12));

    const head = await fetch(`${running.origin}${file.url}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(text.length));
    expect(head.headers.get('etag')).toBeTruthy();

    const past = await fetch(`${running.origin}${file.url}`, { headers: { range: 'bytes=99-' } });
    expect(past.status).toBe(416);
    await past.body?.cancel();
  });

  it('takes a tus upload from tus-js-client in several PATCHes, served at GET /:id', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(bytes, {
        endpoint: `${running.origin}/api/files/tus`,
        chunkSize: 512 * 1024,
        retryDelays: [],
        headers: { 'x-user': 'ada' },
        metadata: { filename: 'big.bin', filetype: 'application/octet-stream' },
        onSuccess: () => resolve(upload.url!),
        onError: reject,
      });
      upload.start();
    });
    const id = url.split('/').pop()!;
    expect(new URL(url, running.origin).pathname).toBe(`/api/files/tus/${id}`);
    expect(seen.filter((ctx) => ctx.id === id && ctx.operation === 'tus-resume').length).toBe(5);

    const download = await fetch(`${running.origin}/api/files/${id}`);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
  });

  it("hands authorize Hono's Context: the app's variables, the request, the route", async () => {
    const refused = await uploadOne(`${running.origin}/api/files`, 'no', 'mallory');
    expect(refused.status).toBe(403);
    const ctx = seen.at(-1)!;
    expect(ctx.operation).toBe('upload');
    expect(ctx.framework.get('user')).toBe('mallory');
    expect(ctx.framework.req.header('x-user')).toBe('mallory');
    expect(ctx.framework.req.method).toBe('POST');

    const file = (await uploadOne(`${running.origin}/api/files`, 'mine')).body.files![0]!;
    const denied = await fetch(`${running.origin}${file.url}`, {
      method: 'DELETE',
      headers: { 'x-user': 'bob' },
    });
    expect(denied.status).toBe(403);
    await denied.body?.cancel();
    const deleted = await fetch(`${running.origin}${file.url}`, {
      method: 'DELETE',
      headers: { 'x-user': 'ada' },
    });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${running.origin}${file.url}`)).status).toBe(404);
  });

  it('takes its mount path from the route, parameters included', async () => {
    const base = `${running.origin}/orgs/acme/files`;
    const file = (await uploadOne(base, 'org file')).body.files![0]!;
    expect(file.url).toBe(`/orgs/acme/files/${file.id}`);
    expect(await (await fetch(`${running.origin}${file.url}`)).text()).toBe('org file');
  });

  it("passes what is not the contract's on to the app's own routes, then Hono's 404", async () => {
    const echo = await fetch(`${running.origin}/api/files/app/echo`);
    expect(await echo.text()).toBe('app');
    const other = await fetch(`${running.origin}/api/files/upload/nested`);
    expect(other.status).toBe(404);
    await other.body?.cancel();
  });
});
