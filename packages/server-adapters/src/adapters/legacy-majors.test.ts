import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express4 from 'express4';
import fastify4 from 'fastify4';
import koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { type AdapterName, APP_ROUTE, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { patternBytes } from '../test-support/multipart';
import { expectSettledTo, snapshot } from '../test-support/storage-snapshot';

// The full table runs on the newest majors; here, one pass over what people still run.
const LEGACY: Array<[AdapterName, unknown]> = [
  ['express', express4],
  ['fastify', fastify4],
  ['koa', koa2],
];

describe.each(LEGACY)('%s (previous major)', (name, framework) => {
  let root: string;
  let app: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-legacy-${name}-`));
    app = await startApp(name, {
      framework,
      options: { storage: diskStorage({ directory: root }), limits: { fileSize: 64 * 1024 } },
    });
  });

  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('uploads, downloads and refuses an oversized file', async () => {
    const data = patternBytes(60 * 1024);
    const answer = await postMultipart(`${app.base}/upload`, [
      { name: 'note', data: 'legacy' },
      { name: 'file', filename: 'old.bin', data },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.fields).toEqual({ note: 'legacy' });
    const file = answer.body.files?.[0];
    expect(file?.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(file?.url).toBe(`/api/files/${file?.id}`);

    const res = await fetch(app.origin + (file?.url ?? ''));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="old.bin"');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data))).toBe(true);

    const before = await snapshot(root);
    const big = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename: 'big.bin', data: patternBytes(64 * 1024 + 1) },
    ]);
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('file-too-large');
    expect(await expectSettledTo(root, before)).toEqual(before);
    expect(await (await fetch(`${app.base}${APP_ROUTE}`)).text()).toBe('app');
  });
});
