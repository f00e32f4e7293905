import { createHash } from 'node:crypto';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type * as Core from '@updown/core';
import express from 'express';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import { updown } from '../adapters/express';
import { s3Storage } from '../storage/s3-storage';
import { S3_BUCKET, type S3TestServer, startS3Server } from '../storage/test-support/s3-server';

// The core's s3Transport in Chromium (XHR PUTs to a cross-origin bucket under its CORS rules)
// against the real direct routes (Express, s3Storage over s3rver): the browser flow end to
// end, beside the Node flow of s3-transport-interop.test.ts.

const MiB = 1024 * 1024;
const PREFIX = 'browser/';

let s3: S3TestServer;
let corePage: CorePage;

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.client.send(
    new PutBucketCorsCommand({
      Bucket: S3_BUCKET,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: ['*'],
            AllowedMethods: ['PUT'],
            AllowedHeaders: ['Content-Type'],
            ExposeHeaders: ['ETag'],
          },
        ],
      },
    }),
  );
  const storage = s3Storage({
    client: s3.client,
    bucket: S3_BUCKET,
    prefix: PREFIX,
    partSize: 5 * MiB,
  });
  const app = express();
  app.use(
    '/api/files',
    updown({
      storage,
      sniff: true,
      rules: { accept: ['image/png', 'application/octet-stream'] },
    }),
  );
  corePage = await openCorePage({
    route(req, res) {
      if (!req.url?.startsWith('/api/files/')) return false;
      app(req, res);
      return true;
    },
  });
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  await s3?.close();
});

/** A slow uplink (DevTools throttling), so an upload is still going when the test acts. */
async function throttled(page: Page): Promise<Page> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 12 * MiB,
  });
  return page;
}

async function leftovers(): Promise<string[]> {
  return [
    ...(await s3.keys()).filter((key) => key.startsWith(PREFIX)),
    ...(await s3.uploadsInProgress()).filter((upload) => upload.startsWith(PREFIX)),
  ];
}

/** The uploads the page remembers in localStorage, by fingerprint. */
function remembered(page: Page): Promise<{ id: string; kind: string }[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.includes('::s3::'))
      .map((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as { id: string; kind: string }),
  );
}

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + seed) & 255;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Run {
  size: number;
  seed: number;
  type?: string;
  name?: string;
  /** The first bytes of a Windows executable instead of the pattern. */
  exe?: boolean;
  /** Cancel once this many bytes are sent; never settle (the test reloads) with `hang`. */
  cancelAt?: number;
  hang?: boolean;
}

interface Outcome {
  status: string;
  seen: number[];
  response?: { files: { id: string; size: number; type: string }[] };
  error?: { code: string };
  puts: number[];
}

/** Runs in the page: the same File for the same size and seed, found again after a reload. */
function inPage(page: Page, run: Run): Promise<Outcome> {
  return page.evaluate(async (run) => {
    const { createUploader, s3Transport } = (globalThis as unknown as { updown: typeof Core })
      .updown;
    // Every PUT the page opens from here on, by part number (0 for a whole file).
    const puts: number[] = [];
    const xhr = XMLHttpRequest.prototype as XMLHttpRequest & { realOpen?: XMLHttpRequest['open'] };
    xhr.realOpen ??= xhr.open;
    xhr.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      const [method, url] = args as [string, string];
      if (method === 'PUT') puts.push(Number(new URL(url).searchParams.get('partNumber') ?? 0));
      return (xhr.realOpen as (...a: unknown[]) => void).apply(this, args);
    } as XMLHttpRequest['open'];
    const bytes = new Uint8Array(run.size);
    for (let i = 0; i < run.size; i++) bytes[i] = (i * 131 + run.seed) & 255;
    if (run.exe) bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
    const file = new File([bytes], run.name ?? `file-${run.seed}.bin`, {
      type: run.type ?? 'application/octet-stream',
      lastModified: 1_700_000_000_000,
    });
    const uploader = createUploader({
      transport: s3Transport({ endpoint: '/api/files', partConcurrency: 1, retryDelays: [0] }),
    });
    const { accepted } = await uploader.add([file]);
    const seen: number[] = [];
    (globalThis as { seen?: number[] }).seen = seen;
    uploader.subscribe((state) => {
      const item = state.items[0]!;
      seen.push(item.progress.loaded);
      if (run.cancelAt !== undefined && item.progress.loaded > run.cancelAt)
        uploader.cancel(accepted[0]!.id);
    });
    const done = uploader.upload();
    if (run.hang) await new Promise(() => {});
    await done;
    const item = uploader.getState().items[0]!;
    return {
      status: item.status,
      seen,
      ...(item.response ? { response: item.response as Outcome['response'] } : {}),
      ...(item.error ? { error: { code: item.error.code } } : {}),
      puts,
    };
  }, run);
}

describe('s3Transport in Chromium against the direct routes (Express, s3Storage, s3rver)', () => {
  it('sends a small file with one PUT and a large one in parts', async () => {
    const page = await corePage.openPage();
    const small = await inPage(page, { size: 3000, seed: 1 });
    expect(small).toMatchObject({ status: 'success', puts: [0] });
    const large = await inPage(page, { size: 11 * MiB, seed: 2 });
    expect(large.status).toBe('success');
    expect(large.puts).toEqual([1, 2, 3]);
    expect(large.seen.at(-1)).toBe(11 * MiB);
    const id = large.response!.files[0]!.id;
    const back = Buffer.from(
      await (await fetch(`${corePage.origin}/api/files/${id}`)).arrayBuffer(),
    );
    expect(sha256(back)).toBe(sha256(pattern(11 * MiB, 2)));
    await page.close();
  });

  it('resumes after a page reload from the listed parts, sending only the missing ones', async () => {
    const page = await throttled(await corePage.openPage());
    const size = 16 * MiB;
    void inPage(page, { size, seed: 3, hang: true }).catch(() => {});
    await page.waitForFunction(
      (least) => ((globalThis as { seen?: number[] }).seen ?? []).some((n) => n > least),
      6 * MiB,
    );
    await page.reload();
    await page.waitForFunction(() => 'updownReady' in globalThis);
    // What the bucket holds of the upload the page remembers.
    const listed = await page.evaluate(async () => {
      const key = Object.keys(localStorage).find((k) => k.includes('::s3::'))!;
      const { id } = JSON.parse(localStorage.getItem(key)!) as { id: string };
      const answer = await fetch(`/api/files/direct/${id}/parts`);
      return ((await answer.json()) as { parts: { partNumber: number }[] }).parts;
    });
    const kept = listed.map((part) => part.partNumber);
    expect(kept).toContain(1);
    const outcome = await inPage(page, { size, seed: 3 });
    expect(outcome.status).toBe('success');
    expect(outcome.puts.filter((part) => kept.includes(part))).toEqual([]);
    expect([...kept, ...outcome.puts].sort()).toEqual([1, 2, 3, 4]);
    // Progress after the reload starts from the listed parts.
    expect(outcome.seen.find((n) => n > 0)).toBeGreaterThanOrEqual(5 * MiB);
    const id = outcome.response!.files[0]!.id;
    const back = Buffer.from(
      await (await fetch(`${corePage.origin}/api/files/${id}`)).arrayBuffer(),
    );
    expect(sha256(back)).toBe(sha256(pattern(size, 3)));
    await page.close();
  });

  it('a small file whose completion answer was lost is not uploaded again after a reload: the 201 replays', async () => {
    const page = await corePage.openPage();
    const before = await leftovers();
    // The server completes the upload, and the link drops before its answer arrives.
    const lost: unknown[] = [];
    const complete = '**/api/files/direct/*/complete';
    await page.route(complete, async (route) => {
      const answer = await route.fetch();
      lost.push({ status: answer.status(), body: await answer.json() });
      await route.abort('connectionreset');
    });
    const first = await inPage(page, { size: 3000, seed: 7 });
    expect(first).toMatchObject({ status: 'error', error: { code: 'network-error' }, puts: [0] });
    expect(lost[0]).toMatchObject({ status: 201, body: { files: [{ size: 3000 }] } });
    await page.unroute(complete);
    await page.reload();
    await page.waitForFunction(() => 'updownReady' in globalThis);
    const outcome = await inPage(page, { size: 3000, seed: 7 });
    expect(outcome).toMatchObject({ status: 'success', puts: [] });
    expect({ status: 201, body: outcome.response }).toEqual(lost[0]);
    // One upload, one file: its bytes, its metadata and its completed record.
    const id = outcome.response!.files[0]!.id;
    expect((await leftovers()).filter((key) => !before.includes(key)).sort()).toEqual(
      [`${PREFIX}${id}`, `${PREFIX}${id}.json`, `${PREFIX}.direct/${id}.json`].sort(),
    );
    expect(await remembered(page)).toEqual([]);
    await page.close();
  });

  it('a small file whose page closed during its PUT starts over after a reload, the old upload dropped', async () => {
    const page = await corePage.openPage();
    const before = await leftovers();
    const size = 4 * MiB;
    // The PUT leaves and never arrives: S3 keeps nothing of a PUT cut short. (s3rver keeps
    // what it got, where its CopyObject then fails: the link is cut before the bucket.)
    const bucket = `${s3.endpoint}/**`;
    await page.route(bucket, () => {});
    const putting = page.waitForRequest((request) => request.url().startsWith(s3.endpoint));
    void inPage(page, { size, seed: 8, hang: true }).catch(() => {});
    await putting;
    await page.reload();
    await page.waitForFunction(() => 'updownReady' in globalThis);
    await page.unroute(bucket);
    const [old] = await remembered(page);
    expect(old).toMatchObject({ kind: 'put' });
    const outcome = await inPage(page, { size, seed: 8 });
    expect(outcome).toMatchObject({ status: 'success', puts: [0] });
    const id = outcome.response!.files[0]!.id;
    expect(id).not.toBe(old?.id);
    const back = Buffer.from(
      await (await fetch(`${corePage.origin}/api/files/${id}`)).arrayBuffer(),
    );
    expect(sha256(back)).toBe(sha256(pattern(size, 8)));
    expect((await leftovers()).filter((key) => !before.includes(key)).sort()).toEqual(
      [`${PREFIX}${id}`, `${PREFIX}${id}.json`, `${PREFIX}.direct/${id}.json`].sort(),
    );
    expect(await remembered(page)).toEqual([]);
    await page.close();
  });

  it('cancel aborts the multipart upload: nothing stays in the bucket', async () => {
    const page = await throttled(await corePage.openPage());
    const before = await leftovers();
    const outcome = await inPage(page, { size: 11 * MiB, seed: 4, cancelAt: 6 * MiB });
    expect(outcome.status).toBe('cancelled');
    await expect.poll(leftovers, { timeout: 5_000 }).toEqual(before);
    await page.close();
  });

  it('refuses a type at signing (no byte sent) and a PNG of EXE bytes at completion (deleted)', async () => {
    const page = await corePage.openPage();
    const before = await leftovers();
    const signing = await inPage(page, {
      size: 5000,
      seed: 5,
      name: 'setup.exe',
      type: 'application/x-msdownload',
    });
    expect(signing).toMatchObject({
      status: 'error',
      error: { code: 'file-invalid-type' },
      puts: [],
    });
    const completion = await inPage(page, {
      size: 5000,
      seed: 6,
      name: 'photo.png',
      type: 'image/png',
      exe: true,
    });
    expect(completion).toMatchObject({ status: 'error', error: { code: 'file-invalid-type' } });
    expect(completion.puts).toEqual([0]);
    expect(await leftovers()).toEqual(before);
    await page.close();
  });
});
