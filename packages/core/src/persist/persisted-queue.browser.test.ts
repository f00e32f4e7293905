import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

// The persisted queue in Chromium against @tus/server: an upload paused a third of the way,
// the page reloaded, the file listed as resumable from IndexedDB, then selected again (or
// restored from the kept bytes) and finished without sending its first third again.

declare const updown: typeof Core;

const SIZE = 3 * 1024 * 1024 + 5;
const CHUNK = 256 * 1024;

let dir: string;
let corePage: CorePage;
let page: Page;
/** The `Upload-Offset` each PATCH started from: where each piece of the file began. */
let offsets: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'updown-persist-'));
  await writeFile(join(dir, 'movie.bin'), Buffer.alloc(SIZE, 7));
  await mkdir(join(dir, 'store'));
  const tus = new TusServer({
    path: '/files',
    datastore: new FileStore({ directory: join(dir, 'store') }),
  });
  corePage = await openCorePage({
    route(req, res) {
      if (!req.url?.startsWith('/files')) return false;
      if (req.method === 'PATCH') offsets.push(Number(req.headers['upload-offset']));
      setTimeout(() => void tus.handle(req, res), req.method === 'PATCH' ? 30 : 0);
      return true;
    },
  });
  page = corePage.page;
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** In the page: an uploader over tus and its persisted queue, on `window`, and a file input. */
async function session(keepFiles: boolean): Promise<void> {
  await page.evaluate(
    ({ chunk, keepFiles }) => {
      const uploader = updown.createUploader({
        transport: updown.tusTransport({
          endpoint: '/files',
          chunkSize: chunk,
          urlStore: updown.indexedDbUrlStore(),
        }),
      });
      const queue = updown.createPersistedQueue(uploader, { keepFiles });
      const input = document.createElement('input');
      input.type = 'file';
      input.addEventListener('change', () => void uploader.add(Array.from(input.files ?? [])));
      document.body.append(input);
      Object.assign(window, { uploader, queue });
    },
    { chunk: CHUNK, keepFiles },
  );
}

type PageWindow = { uploader: Core.Uploader; queue: Core.PersistedQueue };

/** Sends the first item until a third is on the server, then pauses it. */
async function sendAThird(): Promise<number> {
  return page.evaluate(async (size) => {
    const { uploader } = window as unknown as PageWindow;
    const id = uploader.getState().items[0]!.id;
    void uploader.upload();
    await new Promise<void>((resolve) => {
      const stop = uploader.subscribe((state) => {
        const item = state.items[0]!;
        if (item.status === 'error' || item.status === 'success') {
          stop();
          resolve();
        }
        if (item.progress.loaded > size / 3) {
          stop();
          uploader.pause(id);
          resolve();
        }
      });
    });
    // The queue writes on the status change; give IndexedDB a moment.
    await new Promise((r) => setTimeout(r, 300));
    return uploader.getState().items[0]!.progress.loaded;
  }, SIZE);
}

const resumable = () =>
  page.evaluate(() => {
    const { queue } = window as unknown as PageWindow;
    const { ready, resumable } = queue.getState();
    return {
      ready,
      files: resumable.map((r) => ({
        name: r.name,
        size: r.size,
        loaded: r.loaded,
        kept: r.file instanceof Blob,
      })),
    };
  });

async function finish(): Promise<{ status?: string; loaded?: number }> {
  return page.evaluate(async () => {
    const { uploader } = window as unknown as PageWindow;
    const [item] = await uploader.upload();
    return { status: item?.status, loaded: item?.progress.loaded };
  });
}

it('lists an unfinished upload after a reload, and resumes it when the file is selected again', async () => {
  offsets = [];
  await session(false);
  await page.locator('input[type=file]').setInputFiles(join(dir, 'movie.bin'));
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as PageWindow).uploader.getState().items.length),
    )
    .toBe(1);
  const before = await sendAThird();
  expect(before).toBeGreaterThan(SIZE / 3);

  await page.reload();
  await page.waitForFunction(() => (globalThis as { updownReady?: boolean }).updownReady === true);
  await session(false);
  await expect
    .poll(resumable)
    .toMatchObject({ ready: true, files: [{ name: 'movie.bin', size: SIZE, kept: false }] });
  const listed = (await resumable()).files[0]!;
  expect(listed.loaded).toBeGreaterThan(SIZE / 4);

  offsets = [];
  await page.locator('input[type=file]').setInputFiles(join(dir, 'movie.bin'));
  await expect.poll(resumable).toMatchObject({ ready: true, files: [] });
  expect(await finish()).toEqual({ status: 'success', loaded: SIZE });
  // The first third was not sent again: the first PATCH after the reload starts past it.
  expect(offsets[0]).toBeGreaterThan(SIZE / 4);

  // Finished: forgotten.
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForFunction(() => (globalThis as { updownReady?: boolean }).updownReady === true);
  await session(false);
  await expect.poll(resumable).toEqual({ ready: true, files: [] });
});

it('with keepFiles, restores the file itself after a reload, without selecting it', async () => {
  offsets = [];
  // A fresh page: the session above kept no files.
  await page.reload();
  await page.waitForFunction(() => (globalThis as { updownReady?: boolean }).updownReady === true);
  await session(true);
  await page.evaluate(async (size) => {
    const { uploader } = window as unknown as PageWindow;
    await uploader.add([
      new File([new Uint8Array(size).fill(3)], 'kept.bin', { lastModified: 1_700_000_000_000 }),
    ]);
  }, SIZE);
  await sendAThird();

  offsets = [];
  await page.reload();
  await page.waitForFunction(() => (globalThis as { updownReady?: boolean }).updownReady === true);
  await session(true);
  await expect
    .poll(resumable)
    .toMatchObject({ ready: true, files: [{ name: 'kept.bin', size: SIZE, kept: true }] });
  expect(await page.evaluate(() => (window as unknown as PageWindow).queue.restore())).toBe(1);
  expect(await finish()).toEqual({ status: 'success', loaded: SIZE });
  expect(offsets[0]).toBeGreaterThan(SIZE / 4);
  expect((await resumable()).files).toEqual([]);
});
