import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';
import { type DirectBucket, startDirectBucket } from './test-support/direct-bucket';

// s3Transport in Chromium (XHR to the bucket, cross-origin under its CORS rules) against
// s3rver, the signing routes served beside the page by the test-support stand-in.

const KiB = 1024;
const PART = 256 * KiB;
const REFUSED = 'application/x-msdownload';

let bucket: DirectBucket;
let corePage: CorePage;
let page: Page;

beforeAll(async () => {
  bucket = await startDirectBucket({ partSize: PART, putDelayMs: 40, refuseTypes: [REFUSED] });
  corePage = await openCorePage({ route: (req, res) => bucket.route(req, res) });
  page = corePage.page;
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  await bucket?.close();
});

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + seed) & 255;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Run {
  /** What to do once the upload passed `at` bytes: nothing, pause then resume, or cancel. */
  action: 'finish' | 'pause-resume' | 'cancel' | 'wait';
  at?: number;
  size: number;
  seed: number;
  type?: string;
}

interface Outcome {
  status: string;
  seen: number[];
  response?: { files: { id: string; size: number }[] };
  error?: { code: string };
  stored: string[];
}

/**
 * Runs in the page: the same File for the same size and seed (bytes, name, type and
 * lastModified), so a reloaded page finds its upload by the fingerprint in localStorage.
 */
function inPage(target: Page, run: Run): Promise<Outcome> {
  return target.evaluate(async (run) => {
    const { createUploader, s3Transport } = (globalThis as unknown as { updown: typeof Core })
      .updown;
    const bytes = new Uint8Array(run.size);
    for (let i = 0; i < run.size; i++) bytes[i] = (i * 131 + run.seed) & 255;
    const file = new File([bytes], `file-${run.seed}.bin`, {
      type: run.type ?? 'application/octet-stream',
      lastModified: 1_700_000_000_000,
    });
    const uploader = createUploader({
      transport: s3Transport({ endpoint: '/api/files', partConcurrency: 2 }),
    });
    const { accepted } = await uploader.add([file]);
    const id = accepted[0]!.id;
    const seen: number[] = [];
    (globalThis as { seen?: number[] }).seen = seen;
    const done = uploader.upload();
    const stop = uploader.subscribe((state) => {
      const item = state.items[0]!;
      seen.push(item.progress.loaded);
      if (run.at === undefined || item.progress.loaded < run.at || item.status !== 'uploading')
        return;
      if (run.action === 'pause-resume') {
        uploader.pause(id);
        setTimeout(() => uploader.resume(id), 300);
        run.at = undefined;
      } else if (run.action === 'cancel') {
        uploader.cancel(id);
      }
    });
    if (run.action === 'wait') await new Promise(() => {});
    await done;
    // A resume restarts the item: wait until it settles for good.
    await new Promise<void>((resolve) => {
      const check = () => {
        const status = uploader.getState().items[0]!.status;
        if (status === 'success' || status === 'error' || status === 'cancelled') resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    stop();
    const item = uploader.getState().items[0]!;
    return {
      status: item.status,
      seen,
      ...(item.response ? { response: item.response as Outcome['response'] } : {}),
      ...(item.error ? { error: { code: item.error.code } } : {}),
      stored: Object.keys(localStorage).filter((key) => key.includes('::s3::')),
    };
  }, run);
}

describe('s3Transport in Chromium against s3rver', () => {
  it('sends a small file with one PUT', async () => {
    const putsBefore = bucket.puts.length;
    const size = 100 * KiB;
    const outcome = await inPage(page, { action: 'finish', size, seed: 1 });
    expect(outcome.status).toBe('success');
    expect(bucket.puts.slice(putsBefore).map((put) => put.part)).toEqual([0]);
    const { id } = outcome.response!.files[0]!;
    expect(sha256(await bucket.bytes(id))).toBe(sha256(pattern(size, 1)));
  });

  it('sends a large file in parallel parts, with byte-true progress', async () => {
    const putsBefore = bucket.puts.length;
    const size = 10 * PART + 123;
    // A slow uplink (DevTools throttling), so a part is seen on its way and not only done.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 4 * 1024 * 1024,
    });
    const outcome = await inPage(page, { action: 'finish', size, seed: 2 }).finally(async () => {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await cdp.detach();
    });
    expect(outcome.status).toBe('success');
    const parts = bucket.puts.slice(putsBefore).map((put) => put.part);
    expect(parts.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(sha256(await bucket.bytes(outcome.response!.files[0]!.id))).toBe(
      sha256(pattern(size, 2)),
    );
    // Bytes of parts in flight count (a figure between part boundaries), never backwards,
    // ending at the size.
    expect(outcome.seen.some((n) => n % PART !== 0 && n < size)).toBe(true);
    expect(outcome.seen).toEqual([...outcome.seen].sort((a, b) => a - b));
    expect(outcome.seen.at(-1)).toBe(size);
    expect(outcome.stored).toEqual([]);
  });

  it('cancel aborts the multipart upload: nothing stays in the bucket', async () => {
    const keysBefore = await bucket.keys();
    const size = 12 * PART;
    const outcome = await inPage(page, { action: 'cancel', at: 3 * PART, size, seed: 3 });
    expect(outcome.status).toBe('cancelled');
    // The transport unwinds after the item is told cancelled: the record goes with it.
    await expect
      .poll(() =>
        page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('::s3::'))),
      )
      .toEqual([]);
    await expect.poll(() => bucket.calls.at(-1)).toBe('abort');
    await expect.poll(() => bucket.uploadsInProgress()).toEqual([]);
    expect(await bucket.keys()).toEqual(keysBefore);
  });

  it('pauses and resumes, the finished parts not sent again', async () => {
    const putsBefore = bucket.puts.length;
    const callsBefore = bucket.calls.length;
    const size = 12 * PART;
    const outcome = await inPage(page, { action: 'pause-resume', at: 4 * PART, size, seed: 4 });
    expect(outcome.status).toBe('success');
    expect(bucket.calls.slice(callsBefore).filter((call) => call === 'create')).toHaveLength(1);
    expect(bucket.calls.slice(callsBefore)).toContain('list');
    // Only the parts cut by the pause (at most the two in flight) went twice.
    const parts = bucket.puts.slice(putsBefore).map((put) => put.part);
    expect(parts.length - new Set(parts).size).toBeLessThanOrEqual(2);
    expect(new Set(parts).size).toBe(12);
    expect(sha256(await bucket.bytes(outcome.response!.files[0]!.id))).toBe(
      sha256(pattern(size, 4)),
    );
  });

  it('resumes after a page reload from the listed parts, sending only the missing ones', async () => {
    const size = 16 * PART;
    const callsBefore = bucket.calls.length;
    const first = await corePage.openPage();
    void inPage(first, { action: 'wait', size, seed: 5 }).catch(() => {});
    await first.waitForFunction(
      (least) => ((globalThis as { seen?: number[] }).seen ?? []).some((n) => n > least),
      size / 3,
    );
    await first.reload();
    await first.waitForFunction(() => 'updownReady' in globalThis);
    // What the bucket holds once the cut requests are gone.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const kept = await bucket.storedParts();
    expect(kept.length).toBeGreaterThanOrEqual(2);
    const putsBefore = bucket.puts.length;

    const outcome = await inPage(first, { action: 'finish', size, seed: 5 });
    expect(outcome.status).toBe('success');
    const calls = bucket.calls.slice(callsBefore);
    expect(calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(calls).toContain('list');
    const resent = bucket.puts.slice(putsBefore).map((put) => put.part);
    expect(resent.filter((part) => kept.includes(part))).toEqual([]);
    expect(new Set([...kept, ...resent]).size).toBe(16);
    // Progress after the reload starts from the listed parts.
    expect(outcome.seen.find((n) => n > 0)).toBeGreaterThanOrEqual(kept.length * PART);
    expect(sha256(await bucket.bytes(outcome.response!.files[0]!.id))).toBe(
      sha256(pattern(size, 5)),
    );
    expect(outcome.stored).toEqual([]);
    await first.close();
  });

  it('a file refused at signing sends no byte', async () => {
    const putsBefore = bucket.puts.length;
    const outcome = await inPage(page, {
      action: 'finish',
      size: 10 * KiB,
      seed: 6,
      type: REFUSED,
    });
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'file-invalid-type' } });
    expect(bucket.puts.length).toBe(putsBefore);
  });
});
