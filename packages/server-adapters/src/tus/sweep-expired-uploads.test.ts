import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createUploadHandler } from '../handler/create-upload-handler';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('createUploadHandler sweeps expired tus uploads on demand, and keeps live ones', async () => {
  dir = await mkdtemp(join(tmpdir(), 'updown-sweep-'));
  let clock = Date.UTC(2026, 0, 1);
  const handler = createUploadHandler({
    storage: diskStorage({ directory: dir, fsync: false }),
    // A long interval: only the explicit call may sweep here.
    tus: { expirationMs: 60_000, sweepIntervalMs: 24 * 60 * 60 * 1000, now: () => clock },
  });
  server = createServer((req, res) => {
    const path = (req.url ?? '/').slice('/api/files'.length) || '/';
    void handler.handle(req, res, { path, basePath: '/api/files', framework: null });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/files/tus`;
  const create = async () => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' },
    });
    expect(res.status).toBe(201);
  };

  await create();
  clock += 90_000;
  await create();
  const partialsBefore = await readdir(join(dir, PARTIAL_DIR));
  expect(partialsBefore.filter((name) => !name.endsWith('.json'))).toHaveLength(2);

  expect(await handler.sweepExpiredUploads()).toBe(1);
  const partialsAfter = await readdir(join(dir, PARTIAL_DIR));
  expect(partialsAfter.filter((name) => !name.endsWith('.json'))).toHaveLength(1);
  expect(await handler.sweepExpiredUploads()).toBe(0);
});
