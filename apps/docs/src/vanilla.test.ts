// The vanilla-core demo (no framework) that `npm start` serves at /vanilla/, driven in
// Chromium as a person would: pick files, see a rejection with its reason, upload to the
// real demo server, download data made on the spot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { openPage, storedOnDisk } from './test-support/browser-page';

const url = inject('docsUrl');
const dataDir = inject('docsDataDir');
const work = mkdtempSync(join(tmpdir(), 'updown-vanilla-'));
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser));
  await page.goto(`${url}vanilla/`);
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test('uploads two files to the demo server and lists a rejection with its reason', async () => {
  const a = join(work, 'vanilla-notes.txt');
  const b = join(work, 'vanilla-data.json');
  const bad = join(work, 'program.exe');
  writeFileSync(a, 'hello from the vanilla demo\n'.repeat(1000));
  writeFileSync(b, JSON.stringify({ ok: true }));
  writeFileSync(bad, 'MZ');
  await page.setInputFiles('#dropzone input[type=file]', [a, b, bad]);
  await page.locator('li[data-status="rejected"]').waitFor();
  expect(await page.locator('li[data-status="rejected"]').textContent()).toMatch(
    /program\.exe: File type must be/,
  );
  expect(await page.locator('li[data-status="queued"]').count()).toBe(2);
  // Nothing moves yet: what is ready, not a speed of 0 B/s.
  expect(await page.locator('#total-text').textContent()).toMatch(/^2 ready to upload · /);

  await page.click('#upload');
  await page.locator('li[data-status="success"]').nth(1).waitFor();
  expect(
    await page.locator('#total-progress').evaluate((el) => (el as HTMLProgressElement).value),
  ).toBe(100);
  const stored = storedOnDisk(dataDir).files;
  expect(stored.find((f) => f.name === 'vanilla-notes.txt')?.bytes.equals(readFileSync(a))).toBe(
    true,
  );
  expect(stored.find((f) => f.name === 'vanilla-data.json')?.bytes.equals(readFileSync(b))).toBe(
    true,
  );
});

test('downloads data made on the spot with the chosen name', async () => {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#download-data')]);
  expect(saved.suggestedFilename()).toBe('updown-report.json');
  const body = JSON.parse(readFileSync(await saved.path(), 'utf8'));
  expect(body.files).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('downloads an uploaded file under its new name: the demo asks the server for it (?filename=)', async () => {
  const row = page.locator('li', { hasText: 'vanilla-notes.txt' });
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(saved.url()).toMatch(/\?filename=vanilla-notes%20\(from%20updown\)\.txt$/);
  expect(saved.suggestedFilename()).toBe('vanilla-notes (from updown).txt');
  expect(readFileSync(await saved.path(), 'utf8')).toBe(
    'hello from the vanilla demo\n'.repeat(1000),
  );
  expect(errors).toEqual([]);
});

test('a real press on Cancel lands while the row updates, and the bar does not read as done', async () => {
  const name = join(work, 'vanilla-slow.zip');
  writeFileSync(name, Buffer.alloc(8 * 1024 * 1024, 1));
  // Slow the upload down so that progress ticks arrive during the press.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });
  try {
    await page.setInputFiles('#dropzone input[type=file]', name);
    const row = page.locator('li', { hasText: 'vanilla-slow.zip' });
    await row.and(page.locator('[data-status="queued"]')).waitFor();
    await page.click('#upload');
    await row.and(page.locator('[data-status="uploading"]')).waitFor();
    await expect
      .poll(() => row.locator('progress').evaluate((el) => (el as HTMLProgressElement).value))
      .toBeGreaterThan(0);
    // A person's press: down, a few frames of progress, up, on the same button.
    const cancel = row.getByRole('button', { name: 'Cancel' });
    const box = await cancel.boundingBox();
    if (!box) throw new Error('no Cancel button to press');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(150);
    await page.mouse.up();
    await row.and(page.locator('[data-status="cancelled"]')).waitFor({ timeout: 5_000 });
    expect(await row.locator('progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(
      0,
    );
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
  } finally {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  }
  expect(errors).toEqual([]);
});

test('links back to the docs', async () => {
  const home = page.getByRole('link', { name: '← updown docs' });
  expect(await home.getAttribute('href')).toBe('/');
});
