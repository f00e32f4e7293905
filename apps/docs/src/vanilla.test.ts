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
