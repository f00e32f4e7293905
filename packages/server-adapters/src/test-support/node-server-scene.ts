// A fetch handler on node:http through @hono/node-server, with a spy on `Readable.toWeb`: the
// tests of the Hono adapter and the fetch entry see whether the server's web body over Node's
// request was ever made. Not part of the package build.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { afterEach, beforeEach, type MockInstance, vi } from 'vitest';

export interface NodeServerScene {
  /** `Readable.toWeb`, spied on for the current test. */
  readonly toWeb: MockInstance;
  /** Serves `fetchHandler` on 127.0.0.1 until the test ends; resolves with its origin. */
  listen(fetchHandler: (request: Request, env?: unknown) => unknown): Promise<string>;
}

/** Call inside a `describe`: each test gets a fresh spy, and its server is closed after it. */
export function nodeServerScene(): NodeServerScene {
  let toWeb: MockInstance | undefined;
  let server: Server | undefined;
  beforeEach(() => {
    toWeb = vi.spyOn(Readable, 'toWeb');
  });
  afterEach(async () => {
    toWeb?.mockRestore();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });
  return {
    get toWeb() {
      if (!toWeb) throw new Error('toWeb is spied on inside a test only');
      return toWeb;
    },
    async listen(fetchHandler) {
      const listening = createServer(
        getRequestListener(fetchHandler as (request: Request) => Promise<Response>),
      );
      server = listening;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    },
  };
}
