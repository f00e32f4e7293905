// Apps serving the direct routes over s3Storage, each under its own prefix of one s3rver
// bucket, for one test file: the server starts before its tests and everything closes after.
// Not part of the package build.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createUploadHandler } from '../../handler/create-upload-handler';
import type { HandlerOptions, UploadHandler } from '../../handler/handler-types';
import { s3Storage } from '../../storage/s3-storage';
import type { Storage } from '../../storage/storage';
import { type S3TestServer, startS3Server } from '../../storage/test-support/s3-server';
import {
  type AdapterName,
  type RunningApp,
  startApp,
  type TableOptions,
} from '../../test-support/apps';
import { directClient } from './direct-client';

const MiB = 1024 * 1024;

export interface DirectApp {
  app: RunningApp;
  storage: Storage;
  prefix: string;
  client: ReturnType<typeof directClient>;
  /** Every key under the prefix and every multipart upload in progress there. */
  leftovers(): Promise<string[]>;
}

export interface DirectKit {
  /** The file's s3rver (from beforeAll on). */
  readonly s3: S3TestServer;
  /** A prefix no other app of the file uses. */
  prefix(): string;
  /** Every key under `prefix` and every multipart upload in progress there. */
  leftovers(prefix: string): Promise<string[]>;
  /** An app of `name` over an s3Storage (5 MiB parts) of its own prefix. */
  setup(
    name: AdapterName,
    options?: TableOptions,
    headers?: Record<string, string>,
  ): Promise<DirectApp>;
  /**
   * The Node handler itself on node:http (mounted at `/api/files`), over an s3Storage of
   * `prefix` (a new one by default): for a clock of the test's own, or several handlers
   * (servers) sharing one prefix.
   */
  serve(options?: HandlerOptions<null>, prefix?: string): Promise<Served>;
}

/** Registers the file's s3rver; `label` starts each app's prefix (`<label><n>/`). */
export function directApps(label: string): DirectKit {
  let server: S3TestServer | undefined;
  let n = 0;
  const apps: Pick<RunningApp, 'close'>[] = [];
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await server?.close();
  });

  const kit: DirectKit = {
    get s3(): S3TestServer {
      if (!server) throw new Error('The s3rver starts in beforeAll');
      return server;
    },
    prefix: () => `${label}${++n}/`,
    async leftovers(prefix: string): Promise<string[]> {
      const keys = (await kit.s3.keys()).filter((key) => key.startsWith(prefix));
      const uploads = (await kit.s3.uploadsInProgress()).filter((u) => u.startsWith(prefix));
      return [...keys, ...uploads];
    },
    async setup(
      name: AdapterName,
      options: TableOptions = {},
      headers: Record<string, string> = {},
    ): Promise<DirectApp> {
      const prefix = kit.prefix();
      const { client, bucket } = kit.s3;
      const storage = s3Storage({ client, bucket, prefix, partSize: 5 * MiB });
      const app = await startApp(name, { options: { storage, ...options } });
      apps.push(app);
      return {
        app,
        storage,
        prefix,
        client: directClient(app.base, headers),
        leftovers: () => kit.leftovers(prefix),
      };
    },
    async serve(options: HandlerOptions<null> = {}, prefix = kit.prefix()): Promise<Served> {
      const { client, bucket } = kit.s3;
      const storage = s3Storage({ client, bucket, prefix, partSize: 5 * MiB });
      const handler = createUploadHandler<null>({ storage, ...options });
      const server = createServer((req, res) => {
        void handler.handle(req, res, {
          path: (req.url ?? '/').replace(/^\/api\/files/, ''),
          basePath: '/api/files',
          framework: null,
        });
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      apps.push({
        async close() {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        },
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/files`;
      return { base, prefix, handler, client: directClient(base) };
    },
  };
  return kit;
}

export interface Served {
  /** The mount's URL. */
  base: string;
  prefix: string;
  handler: UploadHandler<null>;
  client: ReturnType<typeof directClient>;
}
