import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileLike } from '@updown/core/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../handler/handler-types';
import { diskStorage } from '../storage/disk-storage';
import {
  ALL_ADAPTERS,
  headerOf,
  type RunningApp,
  startApp,
  type TableParts,
} from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { patternBytes } from '../test-support/multipart';

// Issue 11: the server's `rules.validate` judges a file for a request, so it sees that
// request: the same ctx as authorize, and the app's async context.

const ADAPTERS = ALL_ADAPTERS;

describe.each(ADAPTERS)('%s validate', (name) => {
  let root: string;
  let app: RunningApp;
  const als = new AsyncLocalStorage<string>();
  const authorized: HandlerContext<unknown, TableParts>[] = [];
  const validated: { file: FileLike; ctx: unknown; requestId: string | undefined }[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-validate-${name}-`));
    app = await startApp(name, {
      asyncContext: als,
      options: {
        storage: diskStorage({ directory: root }),
        authorize: (ctx: HandlerContext<unknown, TableParts>) => {
          authorized.push(ctx);
          return true;
        },
        rules: {
          validate: async (file: FileLike, ctx?: unknown) => {
            // After an await too: the context is the request's, not the socket's.
            await new Promise((resolve) => setTimeout(resolve, 5));
            validated.push({ file, ctx, requestId: als.getStore() });
            const who = headerOf(ctx as HandlerContext<unknown, TableParts>, 'x-user');
            return who === 'mallory' ? 'Not from you' : undefined;
          },
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("validate gets the request's ctx (the one authorize saw) and runs in the request's async context", async () => {
    const answer = await postMultipart(
      `${app.base}/upload`,
      [
        { name: 'file', filename: 'a.bin', data: patternBytes(300 * 1024) },
        { name: 'file', filename: 'b.txt', type: 'text/plain', data: 'b' },
      ],
      { 'x-request-id': 'req-1', 'x-user': 'alice' },
    );
    expect(answer.status).toBe(201);
    expect(validated.map((v) => [v.file.name, v.requestId])).toEqual([
      ['a.bin', 'req-1'],
      ['b.txt', 'req-1'],
    ]);
    const ctx = authorized.at(-1);
    expect(ctx?.operation).toBe('upload');
    expect(validated[0]?.ctx).toBe(ctx);
    expect(validated[1]?.ctx).toBe(ctx);

    const refused = await postMultipart(
      `${app.base}/upload`,
      [{ name: 'file', filename: 'c.txt', type: 'text/plain', data: 'c' }],
      { 'x-request-id': 'req-2', 'x-user': 'mallory' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toEqual({ code: 'validation-failed', message: 'Not from you' });
    expect(validated.at(-1)?.requestId).toBe('req-2');
  });

  it('validate of a tus upload gets the ctx of the request that brings its last byte', async () => {
    const res = await fetch(`${app.base}/tus`, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '3',
        'Upload-Metadata': `filename ${Buffer.from('t.txt').toString('base64')}`,
        'Content-Type': 'application/offset+octet-stream',
        'x-request-id': 'tus-1',
        'x-user': 'alice',
      },
      body: 'abc',
    });
    expect(res.status).toBe(201);
    const last = validated.at(-1);
    expect(last?.file.name).toBe('t.txt');
    expect(last?.requestId).toBe('tus-1');
    expect(last?.ctx).toBe(authorized.at(-1));
    expect((last?.ctx as HandlerContext<unknown, TableParts> | undefined)?.operation).toBe(
      'tus-create',
    );
  });
});
