import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
// Our client, from the built core (its tests against @tus/server live in core).
import { tusFetch, tusTransport } from '@updown/core';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import {
  type CutProxy,
  patternBytes,
  prng,
  sha256,
  startCutProxy,
  tempDir,
} from './test-support/tus-test-kit';

// The tus routes through each adapter: tus-js-client and our tusTransport uploading through
// a TCP proxy that cuts the connection at seeded random points, and a server restarted in
// the middle of an upload (a new app over the same directory). Every stored file must hash
// equal to what was sent.

const ADAPTERS = ALL_ADAPTERS;
const BASE = '/api/files';
const CUTS_PER_CLIENT = 11;
const RETRY = [0, 20, 50, 100, 200, 300, 500, 800, 1000, 1500, 2000];

function tusJsUpload(
  endpoint: string,
  data: Buffer,
  options: Partial<tus.UploadOptions> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint,
      chunkSize: 512 * 1024,
      retryDelays: RETRY,
      metadata: { filename: 'cut.bin', filetype: 'application/octet-stream' },
      ...options,
      onSuccess: () => resolve(upload.url!),
      onError: reject,
    });
    upload.start();
  });
}

async function ourUpload(
  endpoint: string,
  data: Buffer,
  onProgress: (loaded: number) => void = () => {},
  parallel = 1,
): Promise<string> {
  const file = new File([new Uint8Array(data)], 'ours.bin', { type: 'application/octet-stream' });
  const result = await tusTransport({
    request: tusFetch(),
    endpoint,
    chunkSize: 512 * 1024,
    retryDelays: RETRY,
    parallel,
  })(
    { id: 'x', file, name: file.name, size: file.size, type: file.type, attempt: 1 },
    { signal: new AbortController().signal, onProgress, metadata: {} },
  );
  return result.uploadUrl;
}

for (const name of ADAPTERS) {
  describe(`tus through ${name}`, () => {
    let dir: { dir: string; remove(): Promise<void> };
    let app: RunningApp;
    let proxy: CutProxy;
    const start = () =>
      startApp(name, {
        basePath: BASE,
        options: { storage: diskStorage({ directory: dir.dir, fsync: false }) },
      });

    beforeAll(async () => {
      dir = await tempDir();
      app = await start();
      proxy = await startCutProxy(app.port);
    });
    afterAll(async () => {
      await proxy.close();
      await app.close();
      await dir.remove();
    });

    async function fetched(url: string): Promise<Buffer> {
      const id = url.split('/').pop()!;
      const res = await fetch(`${app.base}/${id}`);
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    }

    it('takes a tus-js-client upload byte-exact, served at GET /:id', async () => {
      const data = patternBytes(1_500_000, 21);
      const url = await tusJsUpload(`${app.base}/tus`, data);
      expect(url.startsWith(`${app.base}/tus/`)).toBe(true);
      expect(sha256(await fetched(url))).toBe(sha256(data));
    });

    it(`survives ${CUTS_PER_CLIENT * 3} connection cuts at seeded random offsets`, async () => {
      const random = prng(name.length * 7919);
      const arm = () => proxy.cutAfter(1 + Math.floor(random() * 600_000));
      for (const client of ['tus-js-client', 'ours', 'ours-parallel'] as const) {
        const before = proxy.cuts;
        proxy.onCut = () => {
          if (proxy.cuts - before < CUTS_PER_CLIENT) arm();
        };
        arm();
        const data = patternBytes(8_000_000, name.length + client.length);
        const endpoint = `${proxy.origin}${BASE}/tus`;
        const progress: number[] = [];
        const url =
          client === 'tus-js-client'
            ? await tusJsUpload(endpoint, data)
            : await ourUpload(
                endpoint,
                data,
                (loaded) => progress.push(loaded),
                client === 'ours' ? 1 : 3,
              );
        // Retries re-send bytes, but what users see never goes backwards.
        for (let i = 1; i < progress.length; i++)
          expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
        if (client !== 'tus-js-client') expect(progress.at(-1)).toBe(data.length);
        proxy.onCut = null;
        proxy.cutAfter(null);
        expect(proxy.cuts - before, `${client} cuts`).toBe(CUTS_PER_CLIENT);
        expect(sha256(await fetched(url))).toBe(sha256(data));
      }
      // Nothing half-written is left behind once the uploads are done.
      expect(
        (await readdir(join(dir.dir, '.partial'))).filter((n) => !n.endsWith('.json')),
      ).toEqual([]);
    });

    it('resumes after the server restarts mid-upload (a new app over the same directory)', async () => {
      for (const client of ['tus-js-client', 'ours'] as const) {
        const data = patternBytes(5_000_000, 99 + client.length);
        let restarting: Promise<void> | null = null;
        const restart = () => {
          restarting ??= (async () => {
            await app.close();
            app = await start();
            proxy.setTarget(app.port);
          })();
        };
        const endpoint = `${proxy.origin}${BASE}/tus`;
        const url =
          client === 'ours'
            ? await ourUpload(endpoint, data, (loaded) => {
                if (loaded > 2_000_000) restart();
              })
            : await tusJsUpload(endpoint, data, {
                onProgress: (loaded) => {
                  if (loaded > 2_000_000) restart();
                },
              });
        expect(restarting).not.toBeNull();
        await restarting;
        expect(sha256(await fetched(url))).toBe(sha256(data));
      }
    });
  });
}
