// The site as a whole, served by `npm start`: every page reachable from the home page
// answers, every internal link on it works, and what is not there says so.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { openPage } from './test-support/browser-page';

const url = inject('docsUrl');
const origin = new URL(url).origin;
const shots = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');

function internalLinks(html: string, base: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/<a\b[^>]*\bhref="([^"#]*)(?:#[^"]*)?"/g)) {
    const href = match[1];
    if (!href) continue;
    const target = new URL(href.replaceAll('&amp;', '&'), base);
    if (target.origin === origin) links.add(target.pathname);
  }
  return [...links];
}

test('every page and every internal link answers 200', async () => {
  const seen = new Map<string, number>();
  const queue = ['/'];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    const response = await fetch(new URL(path, origin));
    seen.set(path, response.status);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('text/html')) {
      await response.body?.cancel();
      continue;
    }
    const html = await response.text();
    expect(html, path).not.toMatch(/\bTBD\b/);
    for (const link of internalLinks(html, new URL(path, origin).href)) {
      if (!seen.has(link)) queue.push(link);
    }
  }
  const broken = [...seen].filter(([, status]) => status !== 200);
  expect(broken).toEqual([]);
  // The sidebar reaches every guide: a crawl that found only a handful went wrong.
  expect(seen.size).toBeGreaterThanOrEqual(15);
});

test('unknown pages get the 404 page, unknown API routes a JSON 404', async () => {
  const page = await fetch(new URL('/no-such-page/', origin));
  expect(page.status).toBe(404);
  expect(await page.text()).toContain('404');
  const api = await fetch(new URL('/api/files/not-an-id', origin));
  expect(api.status).toBe(404);
  expect((await api.json()).error.code).toBeTruthy();
});

let browser: Browser;
beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

test('the main pages render without console errors (screenshots in test-output/)', async () => {
  const { page, errors } = await openPage(browser);
  await page.setViewportSize({ width: 1280, height: 1000 });
  for (const [name, path] of [
    ['home', ''],
    ['getting-started', 'getting-started/'],
    ['upload-guide', 'guides/upload/'],
    ['resumable', 'guides/resumable/'],
    ['api-reference', 'reference/api/'],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(shots, `page-${name}-${scheme}.png`) });
    }
  }
  await page.close();
  expect(errors).toEqual([]);
});
