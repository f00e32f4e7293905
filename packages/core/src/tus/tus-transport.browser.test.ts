import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

// tusTransport in Chromium (XHR requests) against @tus/server: start an upload, pause it,
// reload the page, select the same file again, and the upload resumes from the server's
// offset by the fingerprint kept in localStorage.

const SIZE = 6 * 1024 * 1024 + 123;
const CHUNK = 256 * 1024;

function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) & 255;
  return bytes;
}

let dir: string;
let corePage: CorePage;
let page: Page;
const log: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updown-tus-browser-'));
  const tus = new TusServer({ path: '/files', datastore: new FileStore({ directory: dir }) });
  corePage = await openCorePage({
    route(req, res) {
      if (!req.url?.startsWith('/files')) return false;
      log.push(req.method ?? '');
      // Each PATCH waits a little, so the upload lasts long enough to be paused halfway.
      const delay = req.method === 'PATCH' ? 40 : 0;
      setTimeout(() => void tus.handle(req, res), delay);
      return true;
    },
  });
  page = corePage.page;
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs in the page: the same File every time (same bytes, name, type and lastModified). */
async function inPage(page: Page, mode: 'pause' | 'finish') {
  return page.evaluate(
    async ({ size, chunk, mode }) => {
      const { createUploader, tusTransport } = (globalThis as unknown as { updown: typeof Core })
        .updown;
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) & 255;
      const file = new File([bytes], 'movie.bin', {
        type: 'application/octet-stream',
        lastModified: 1_700_000_000_000,
      });
      const uploader = createUploader({
        transport: tusTransport({ endpoint: '/files', chunkSize: chunk }),
      });
      const { accepted } = await uploader.add([file]);
      const id = accepted[0]!.id;
      const seen: number[] = [];
      const done = uploader.upload();
      await new Promise<void>((resolve) => {
        const stop = uploader.subscribe((state) => {
          const item = state.items[0]!;
          seen.push(item.progress.loaded);
          if (mode === 'pause' && item.progress.loaded > size / 3) {
            stop();
            uploader.pause(id);
            resolve();
          }
          if (item.status === 'success' || item.status === 'error') {
            stop();
            resolve();
          }
        });
      });
      if (mode === 'finish') await done;
      const item = uploader.getState().items[0]!;
      const keys = Object.keys(localStorage).filter((k) => k.startsWith('updown-tus::'));
      return {
        status: item.status,
        loaded: item.progress.loaded,
        seen,
        response: item.response,
        keys,
        error: item.error,
      };
    },
    { size: SIZE, chunk: CHUNK, mode },
  );
}

describe('tusTransport in Chromium', () => {
  it('pauses, survives a page reload, and resumes from the server offset', async () => {
    const paused = await inPage(page, 'pause');
    expect(paused.status).toBe('paused');
    expect(paused.keys).toHaveLength(1);
    const patchesBefore = log.filter((m) => m === 'PATCH').length;

    await page.reload();
    await page.waitForFunction(() => 'updownReady' in globalThis);
    const resumed = await inPage(page, 'finish');
    expect(resumed.error).toBeUndefined();
    expect(resumed.status).toBe('success');
    // One creation only: the second page found the upload by the file's fingerprint.
    expect(log.filter((m) => m === 'POST')).toHaveLength(1);
    expect(log).toContain('HEAD');
    const patchesAfter = log.filter((m) => m === 'PATCH').length - patchesBefore;
    expect(patchesAfter).toBeLessThan(Math.ceil(SIZE / CHUNK));
    // Progress after the reload started from the offset the server had, not from 0.
    expect(Math.max(...resumed.seen.slice(0, 3))).toBeGreaterThan(SIZE / 4);
    for (let i = 1; i < resumed.seen.length; i++)
      expect(resumed.seen[i]!).toBeGreaterThanOrEqual(resumed.seen[i - 1]!);
    expect(resumed.keys).toEqual([]);
    const id = (resumed.response as { id: string }).id;
    const stored = await readFile(join(dir, id));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(
      createHash('sha256').update(pattern(SIZE)).digest('hex'),
    );
  });
});
