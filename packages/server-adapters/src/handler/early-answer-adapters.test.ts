import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { ALL_ADAPTERS, headerOf, type RunningApp, startApp } from '../test-support/apps';
import { multipart, patternBytes } from '../test-support/multipart';

// Issue 11, early answers: an answer sent before the body ends closes the connection, so a
// keep-alive client never reuses a socket the server is about to drop.

const ADAPTERS = ALL_ADAPTERS;
const KiB = 1024;
const MiB = 1024 * KiB;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The local port of the connection the answer came on. */
  localPort: number | undefined;
}

function send(
  agent: Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            localPort: res.socket?.localPort,
          }),
        );
        res.on('error', reject);
      },
    );
    // The server answers early and may stop reading: what the client could not send is not
    // this test's business, the answer and the next request are.
    req.on('error', (error) => reject(error));
    req.end(options.body);
  });
}

describe.each(ADAPTERS)('%s early answers', (name) => {
  let root: string;
  let app: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-early-${name}-`));
    app = await startApp(name, {
      options: {
        storage: diskStorage({ directory: root }),
        limits: { fileSize: 64 * KiB },
        authorize: (ctx) => headerOf(ctx, 'x-deny') === undefined,
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['413 at the file size limit', {}, 413],
    ['403 from authorize before the body', { 'x-deny': '1' }, 403],
  ] as const)(
    'a %s says Connection: close, and the next request on a keep-alive agent succeeds',
    async (_what, extra, status) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await send(agent, `${app.base}/app/echo`);
        expect(first.status).toBe(200);
        // Past the server's bounded discard, so today's socket is dropped under the client.
        const built = multipart([
          { name: 'file', filename: 'big.bin', data: patternBytes(3 * MiB) },
        ]);
        const rejected = await send(agent, `${app.base}/upload`, {
          method: 'POST',
          headers: {
            'content-type': built.contentType,
            'content-length': String(built.body.length),
            ...extra,
          },
          body: built.body,
        }).catch(
          (error: Error): Answer => ({
            status: -1,
            headers: {},
            body: error.message,
            localPort: 0,
          }),
        );
        expect(rejected.status).toBe(status);
        expect(rejected.headers.connection).toBe('close');
        expect(JSON.parse(rejected.body).error.code).toBe(
          status === 413 ? 'file-too-large' : 'forbidden',
        );
        const next = await send(agent, `${app.base}/app/echo`);
        expect(next.status).toBe(200);
        expect(next.body).toBe('app');
      } finally {
        agent.destroy();
      }
    },
  );

  it('an answer after the whole body keeps the connection alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const built = multipart([
        { name: 'file', filename: 'small.txt', type: 'text/plain', data: 'hi' },
      ]);
      const stored = await send(agent, `${app.base}/upload`, {
        method: 'POST',
        headers: { 'content-type': built.contentType, 'content-length': String(built.body.length) },
        body: built.body,
      });
      expect(stored.status).toBe(201);
      expect(stored.headers.connection).toBe('keep-alive');
      const next = await send(agent, `${app.base}/app/echo`);
      expect(next.localPort).toBe(stored.localPort);
    } finally {
      agent.destroy();
    }
  });
});
