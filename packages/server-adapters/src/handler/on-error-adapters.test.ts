import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { updown as koaUpdown } from '../adapters/koa';
import { diskStorage } from '../storage/disk-storage';
import type { Storage } from '../storage/storage';
import { ALL_ADAPTERS, type RunningApp, startApp, type TableParts } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { partHead, patternBytes, randomBoundary } from '../test-support/multipart';
import { rawRequest } from '../test-support/raw-http';
import type { HandlerContext } from './handler-types';

// Issue 11, logging: what the client only sees as a 500 reaches the operator through
// onError, and a client that goes away is not logged as a crash.

const ADAPTERS = ALL_ADAPTERS;
const MiB = 1024 * 1024;

/** A disk whose every write fails as a full one does. */
function fullDisk(inner: Storage): Storage {
  return {
    ...inner,
    begin: async (id) => {
      const sink = await inner.begin(id);
      return {
        ...sink,
        id: sink.id,
        get bytesWritten() {
          return sink.bytesWritten;
        },
        write: () =>
          Promise.reject(
            Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              errno: -28,
            }),
          ),
        commit: (meta) => sink.commit(meta),
        abort: () => sink.abort(),
      };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('%s onError', (name) => {
  let root: string;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-onerror-${name}-`));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await rm(root, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a storage write failing with ENOSPC is told to onError with the cause, and answered 500 storage-error', async () => {
    const reported: { error: unknown; ctx: HandlerContext<unknown, TableParts> }[] = [];
    const app = await startApp(name, {
      options: {
        storage: fullDisk(diskStorage({ directory: join(root, 'full') })),
        onError: (error: unknown, ctx: HandlerContext<unknown, TableParts>) => {
          reported.push({ error, ctx });
          throw new Error('a logger that breaks changes nothing');
        },
      },
    });
    apps.push(app);
    const answer = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename: 'a.bin', data: patternBytes(2 * MiB) },
    ]);
    expect(answer.status).toBe(500);
    expect(answer.body.error).toEqual({
      code: 'storage-error',
      message: 'The file could not be stored',
    });
    expect(reported).toHaveLength(1);
    const [first] = reported;
    expect((first?.error as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
    expect(first?.ctx.operation).toBe('upload');
    // A refusal of the client's doing is not an error of the server's.
    const refused = await postMultipart(`${app.base}/upload`, [{ name: 'field', data: 'x' }]);
    expect(refused.status).toBe(400);
    expect(reported).toHaveLength(1);
  });

  it('a client that aborts mid-upload prints nothing to the console', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = await startApp(name, {
      options: { storage: diskStorage({ directory: join(root, 'aborts') }) },
    });
    apps.push(app);
    for (let i = 0; i < 3; i++) {
      const boundary = randomBoundary();
      const res = await rawRequest({
        port: app.port,
        head: [
          'POST /api/files/upload HTTP/1.1',
          'Host: 127.0.0.1',
          `Content-Type: multipart/form-data; boundary=${boundary}`,
          `Content-Length: ${4 * MiB}`,
        ].join('\r\n'),
        body: [
          partHead({ name: 'file', filename: 'gone.bin', data: '' }, boundary),
          patternBytes(MiB),
        ],
        afterBody: 'destroy',
      });
      expect(res.status).toBeNull();
    }
    await sleep(300);
    expect(printed).not.toHaveBeenCalled();
  });
});

describe('koa app errors', () => {
  let server: Server;
  const errors: Error[] = [];

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'updown-koa-errors-'));
    const app = new Koa();
    app.on('error', (error: Error) => errors.push(error));
    app.use(koaUpdown({ prefix: '/api/files', storage: diskStorage({ directory: root }) }));
    app.use(async (ctx) => {
      if (ctx.path === '/broken') throw new Error('a real bug below the adapter');
      ctx.body = 'ok';
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("still reach app.on('error') from the app's own routes, while aborted uploads do not", async () => {
    const { port } = server.address() as AddressInfo;
    const boundary = randomBoundary();
    await rawRequest({
      port,
      head: [
        'POST /api/files/upload HTTP/1.1',
        'Host: 127.0.0.1',
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${4 * MiB}`,
      ].join('\r\n'),
      body: [
        partHead({ name: 'file', filename: 'gone.bin', data: '' }, boundary),
        patternBytes(MiB),
      ],
      afterBody: 'destroy',
    });
    const broken = await fetch(`http://127.0.0.1:${port}/broken`);
    expect(broken.status).toBe(500);
    await sleep(300);
    expect(errors.map((e) => e.message)).toEqual(['a real bug below the adapter']);
  });
});
