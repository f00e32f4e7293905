// The page `npm start` serves, driven in Chromium as a person would: pick files, see a
// rejection with its reason, upload to the real demo server, download data made on the spot.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, launchChromium } from '../../../test-support/chromium';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
let server: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const work = mkdtempSync(join(tmpdir(), 'updown-start-'));
const consoleErrors: string[] = [];

beforeAll(async () => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: app, stdio: 'inherit' });
  server = spawn('node', ['-e', `
    const { createDemoApp } = await import(${JSON.stringify(join(app, 'server.mjs'))});
    const s = createDemoApp({ dataDirectory: ${JSON.stringify(join(work, 'uploads'))} })
      .listen(0, '127.0.0.1', () => console.log('URL http://127.0.0.1:' + s.address().port + '/'));
  `, '--input-type=module'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
    server.stdout?.on('data', (chunk: Buffer) => {
      const match = /URL (\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
  });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

test('uploads two files to the demo server and lists a rejection with its reason', async () => {
  const a = join(work, 'notes.txt');
  const b = join(work, 'data.json');
  const bad = join(work, 'program.exe');
  writeFileSync(a, 'hello from the start test\n'.repeat(1000));
  writeFileSync(b, JSON.stringify({ ok: true }));
  writeFileSync(bad, 'MZ');
  await page.setInputFiles('#dropzone input[type=file]', [a, b, bad]);
  await page.locator('li[data-status="rejected"]').waitFor();
  expect(await page.locator('li[data-status="rejected"]').textContent()).toMatch(/program\.exe: File type must be/);
  expect(await page.locator('li[data-status="queued"]').count()).toBe(2);

  await page.click('#upload');
  await page.locator('li[data-status="success"]').nth(1).waitFor();
  expect(await page.locator('#total-progress').evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
  const stored = readdirSync(join(work, 'uploads')).filter((name) => !name.startsWith('.'));
  const contents = stored.map((name) => readFileSync(join(work, 'uploads', name), 'utf8'));
  expect(contents).toContain(readFileSync(a, 'utf8'));
  expect(contents).toContain(readFileSync(b, 'utf8'));
});

test('downloads data made on the spot with the chosen name', async () => {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#download-data')]);
  expect(saved.suggestedFilename()).toBe('updown-report.json');
  const body = JSON.parse(readFileSync(await saved.path(), 'utf8'));
  expect(body.files).toHaveLength(2);
  expect(consoleErrors).toEqual([]);
});
