import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import type { Storage } from '../storage/storage';
import {
  ALL_ADAPTERS,
  headerOf,
  methodOf,
  type RunningApp,
  startApp,
  type TableOptions,
  type TableParts,
} from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import type { HandlerContext } from './handler-types';

// Issue 11, who may do what: deletes refused without authorize, one operation per kind of
// request judged on the effective method, and ownership kept with the file.

const ADAPTERS = ALL_ADAPTERS;
const TUS = { 'Tus-Resumable': '1.0.0' };

describe.each(ADAPTERS)('%s authorize', (name) => {
  let root: string;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-authorize-${name}-`));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await rm(root, { recursive: true, force: true });
  });

  async function start(options: TableOptions = {}): Promise<{ app: RunningApp; storage: Storage }> {
    const storage = diskStorage({ directory: join(root, String(apps.length)) });
    const app = await startApp(name, { options: { storage, ...options } });
    apps.push(app);
    return { app, storage };
  }

  async function upload(app: RunningApp, headers: Record<string, string> = {}): Promise<string> {
    const answer = await postMultipart(
      `${app.base}/upload`,
      [{ name: 'file', filename: 'a.txt', type: 'text/plain', data: 'hello' }],
      headers,
    );
    expect(answer.status).toBe(201);
    return answer.body.files?.[0]?.id ?? '';
  }

  async function tusCreate(app: RunningApp, headers: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${app.base}/tus`, {
      method: 'POST',
      headers: { ...TUS, 'Upload-Length': '5', ...headers },
    });
    expect(res.status).toBe(201);
    return (res.headers.get('location') ?? '').split('/').pop() ?? '';
  }

  it('without authorize, DELETE /:id is 403 forbidden naming the authorize option, and the file stays', async () => {
    const { app, storage } = await start();
    const id = await upload(app);
    const res = await fetch(`${app.base}/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toMatch(/authorize/);
    expect(await storage.stat(id)).not.toBeNull();
    expect((await fetch(`${app.base}/${id}`)).status).toBe(200);
  });

  it('without authorize, tus termination is 403, by DELETE and by POST with X-HTTP-Method-Override', async () => {
    const { app, storage } = await start();
    const id = await tusCreate(app);
    for (const [method, extra] of [
      ['DELETE', {}],
      ['POST', { 'X-HTTP-Method-Override': 'DELETE' }],
    ] as const) {
      const res = await fetch(`${app.base}/tus/${id}`, { method, headers: { ...TUS, ...extra } });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: 'forbidden',
        message: expect.stringMatching(/authorize/),
      });
    }
    expect(await storage.resumable?.getPartialInfo(id)).not.toBeNull();
  });

  it('authorize sees tus-create, tus-resume and tus-terminate, judged on the effective method', async () => {
    const seen: string[] = [];
    const { app, storage } = await start({
      authorize: (ctx: HandlerContext<unknown, TableParts>) => {
        seen.push(`${methodOf(ctx)} ${ctx.operation}`);
        return ctx.operation !== 'tus-terminate';
      },
    });
    const id = await tusCreate(app);
    const head = await fetch(`${app.base}/tus/${id}`, { method: 'HEAD', headers: TUS });
    expect(head.status).toBe(200);
    const patch = await fetch(`${app.base}/tus/${id}`, {
      method: 'POST',
      headers: {
        ...TUS,
        'X-HTTP-Method-Override': 'PATCH',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: 'he',
    });
    expect(patch.status).toBe(204);
    // A refusal of termination is not bypassed by a POST that says it is a DELETE.
    const overridden = await fetch(`${app.base}/tus/${id}`, {
      method: 'POST',
      headers: { ...TUS, 'X-HTTP-Method-Override': 'DELETE' },
    });
    expect(overridden.status).toBe(403);
    const deleted = await fetch(`${app.base}/tus/${id}`, { method: 'DELETE', headers: TUS });
    expect(deleted.status).toBe(403);
    expect((await storage.resumable?.getPartialInfo(id))?.offset).toBe(2);
    expect(seen).toEqual([
      'POST tus-create',
      'HEAD tus-resume',
      'POST tus-resume',
      'POST tus-terminate',
      'DELETE tus-terminate',
    ]);
  });

  it('what authorize returns for an upload is kept with the file and handed back as ctx.file.auth: only the owner deletes', async () => {
    const files: Record<string, unknown>[] = [];
    const { app } = await start({
      authorize: (ctx: HandlerContext<unknown, TableParts>) => {
        const user = String(headerOf(ctx, 'x-user') ?? '');
        if (ctx.operation === 'upload') return { owner: user, tags: ['a', 1] };
        if (ctx.file)
          files.push({ operation: ctx.operation, id: ctx.file.id, auth: ctx.file.auth });
        if (ctx.operation === 'delete') return ctx.file?.auth?.owner === user;
        return true;
      },
    });
    const id = await upload(app, { 'x-user': 'u1' });
    expect((await fetch(`${app.base}/${id}`)).status).toBe(200);
    const stranger = await fetch(`${app.base}/${id}`, {
      method: 'DELETE',
      headers: { 'x-user': 'u2' },
    });
    expect(stranger.status).toBe(403);
    const owner = await fetch(`${app.base}/${id}`, {
      method: 'DELETE',
      headers: { 'x-user': 'u1' },
    });
    expect(owner.status).toBe(204);
    const auth = { owner: 'u1', tags: ['a', 1] };
    expect(files).toEqual([
      { operation: 'download', id, auth },
      { operation: 'delete', id, auth },
      { operation: 'delete', id, auth },
    ]);
  });

  it('what authorize returns for a tus creation comes back on every later request, and on the finished file', async () => {
    const seen: unknown[] = [];
    const { app } = await start({
      authorize: (ctx: HandlerContext<unknown, TableParts>) => {
        const user = String(headerOf(ctx, 'x-user') ?? '');
        if (ctx.operation === 'tus-create') return { owner: user };
        seen.push([ctx.operation, ctx.file?.auth]);
        return ctx.file?.auth?.owner === user;
      },
    });
    const id = await tusCreate(app, { 'x-user': 'u1' });
    const strangerPatch = await fetch(`${app.base}/tus/${id}`, {
      method: 'PATCH',
      headers: {
        ...TUS,
        'x-user': 'u2',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: 'hello',
    });
    expect(strangerPatch.status).toBe(403);
    const patch = await fetch(`${app.base}/tus/${id}`, {
      method: 'PATCH',
      headers: {
        ...TUS,
        'x-user': 'u1',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: 'hello',
    });
    expect(patch.status).toBe(204);
    const got = await fetch(`${app.base}/${id}`, { headers: { 'x-user': 'u1' } });
    expect(await got.text()).toBe('hello');
    expect((await fetch(`${app.base}/${id}`, { headers: { 'x-user': 'u2' } })).status).toBe(403);
    const owner = { owner: 'u1' };
    expect(seen).toEqual([
      ['tus-resume', owner],
      ['tus-resume', owner],
      ['download', owner],
      ['download', owner],
    ]);
  });
});
