// The React and Solid demos of the docs site, driven in Chromium against the server that
// `npm start` started: uploads to success, a cancel the server keeps nothing of, a rejection,
// downloads of data made in the page and of an uploaded file under a new name.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { eventually, openPage, storedOnDisk } from './test-support/browser-page';

const url = inject('docsUrl');
const dataDir = inject('docsDataDir');
const shots = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
const work = mkdtempSync(join(tmpdir(), 'updown-demos-'));
const BIG = 64 * 1024 * 1024;
const TUS_SIZE = 24 * 1024 * 1024;
const disk = () => storedOnDisk(dataDir);
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

function fixture(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

async function hydrated(page: Page, demo: Locator): Promise<void> {
  // Astro removes `ssr` from an island once it has hydrated.
  await demo.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor();
  await page.waitForLoadState('networkidle');
}

/**
 * Clicks the row's button named `label` from inside the page as soon as some bytes have
 * moved (a round trip from the test could be too slow on loopback); resolves with the
 * percent shown then, and the overall progress line beside it.
 */
function clickWhenSending(row: Locator, label: string): Promise<{ percent: number; line: string }> {
  return row.evaluate(
    (li, name) =>
      new Promise<{ percent: number; line: string }>((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          const bar = li.querySelector('progress');
          const button = [...li.querySelectorAll('button')].find(
            (b) => b.textContent?.trim() === name,
          );
          if (bar && button && bar.value > 0 && li.getAttribute('data-status') === 'uploading') {
            const line =
              li.closest('[data-demo]')?.querySelector('.ud-summary__text')?.textContent ?? '';
            button.click();
            resolve({ percent: bar.value, line });
          } else if (Date.now() - started > 60_000) reject(new Error('no progress in 60 s'));
          else setTimeout(poll, 1);
        };
        poll();
      }),
    label,
  );
}

describe.each(['react', 'solid'] as const)('the %s demo', (framework) => {
  let page: Page;
  let errors: string[];
  let demo: Locator;
  const row = (name: string) => demo.locator('li.ud-row', { hasText: name });

  beforeAll(async () => {
    ({ page, errors } = await openPage(browser));
    // Tall enough for the whole card, rows included, in the screenshots.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(`${url}demos/${framework}/`);
    demo = page.locator(`[data-demo="${framework}"]`);
    await hydrated(page, demo);
  });

  afterAll(async () => {
    await page?.close();
  });

  test('is keyboard reachable, labelled and announces progress', async () => {
    const zone = demo.locator('.ud-drop');
    expect(await zone.getAttribute('role')).toBe('button');
    expect(await zone.getAttribute('tabindex')).toBe('0');
    const inputId = await demo.locator('input[type=file]').getAttribute('id');
    expect(await demo.locator(`label[for="${inputId}"]`).isVisible()).toBe(true);
    expect(await demo.locator('[aria-live="polite"]').count()).toBe(1);
    await page.keyboard.press('Tab');
    for (let i = 0; i < 40 && !(await zone.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await zone.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  test('uploads two files to success and shows a rejection with its reason', async () => {
    const notes = fixture(
      `notes-${framework}.txt`,
      `notes from the ${framework} demo\n`.repeat(5000),
    );
    const data = fixture(`data-${framework}.json`, JSON.stringify({ framework, ok: true }));
    const bad = fixture(`program-${framework}.exe`, 'MZ not really a program');
    await demo.locator('input[type=file]').setInputFiles([notes, data, bad]);

    const rejected = demo.locator('li[data-status="rejected"]');
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain(`program-${framework}.exe`);
    expect(await rejected.textContent()).toMatch(/type/i);
    await demo.locator('li[data-status="queued"]').nth(1).waitFor();
    expect(await demo.locator('li[data-status="queued"]').count()).toBe(2);

    await demo.getByRole('button', { name: 'Upload', exact: true }).click();
    await demo.locator('li[data-status="success"]').nth(1).waitFor();
    expect(await row(`notes-${framework}.txt`).getAttribute('data-status')).toBe('success');
    expect(
      await row(`notes-${framework}.txt`)
        .locator('progress')
        .evaluate((el) => (el as HTMLProgressElement).value),
    ).toBe(100);
    expect(
      await demo
        .locator('.ud-summary progress')
        .evaluate((el) => (el as HTMLProgressElement).value),
    ).toBe(100);
    expect(await demo.locator('[aria-live="polite"]').textContent()).toMatch(/uploaded/);

    const stored = disk().files;
    expect(
      stored.find((f) => f.name === `notes-${framework}.txt`)?.bytes.equals(readFileSync(notes)),
    ).toBe(true);
    expect(
      stored.find((f) => f.name === `data-${framework}.json`)?.bytes.equals(readFileSync(data)),
    ).toBe(true);
    expect(stored.some((f) => f.name.startsWith('program-'))).toBe(false);
  });

  test('cancels a large upload mid-way, and the server keeps nothing of it', async () => {
    const name = `big-${framework}.zip`;
    await demo.locator('input[type=file]').setInputFiles(fixture(name, Buffer.alloc(BIG, 7)));
    const big = row(name);
    await big.and(demo.locator('[data-status="queued"]')).waitFor();
    await demo.getByRole('button', { name: 'Upload', exact: true }).click();

    const cancelledAt = await clickWhenSending(big, 'Cancel');
    expect(cancelledAt.percent).toBeGreaterThan(0);
    expect(cancelledAt.percent).toBeLessThan(100);
    // Speed and time left are shown while bytes move.
    expect(cancelledAt.line).toMatch(/^\d+% · [\d.]+ (?:B|[KMG]iB)\/s · .+ left$/);
    await big.and(demo.locator('[data-status="cancelled"]')).waitFor();
    await big.getByRole('button', { name: 'Retry' }).waitFor();

    await eventually(() => {
      const now = disk();
      return now.partial.length === 0 && !now.files.some((f) => f.name === name || f.size === BIG);
    }, 'the server to drop the cancelled upload');
  });

  test('downloads a report made from data, and an uploaded file under a new name', async () => {
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      demo.getByRole('button', { name: 'Download report' }).click(),
    ]);
    expect(report.suggestedFilename()).toBe('updown-report.json');
    const body = JSON.parse(readFileSync(await report.path(), 'utf8'));
    expect(
      body.files.map((f: { name: string; status: string }) => `${f.name}:${f.status}`),
    ).toEqual([
      `notes-${framework}.txt:success`,
      `data-${framework}.json:success`,
      `big-${framework}.zip:cancelled`,
    ]);
    expect(body.rejected).toEqual([
      { name: `program-${framework}.exe`, codes: ['file-invalid-type'] },
    ]);

    const [copy] = await Promise.all([
      page.waitForEvent('download'),
      row(`notes-${framework}.txt`).getByRole('button', { name: 'Download copy' }).click(),
    ]);
    expect(copy.suggestedFilename()).toBe(`notes-${framework} (from updown).txt`);
    expect(
      readFileSync(await copy.path()).equals(readFileSync(join(work, `notes-${framework}.txt`))),
    ).toBe(true);
  });

  test('pauses and resumes a resumable (tus) upload, which arrives whole', async () => {
    const name = `resumable-${framework}.zip`;
    const bytes = Buffer.alloc(TUS_SIZE);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(i, i);
    const path = fixture(name, bytes);
    await demo.getByRole('switch', { name: 'Resumable (tus)' }).check();
    await demo.locator('input[type=file]').setInputFiles(path);
    const item = row(name);
    await item.and(demo.locator('[data-status="queued"]')).waitFor();
    await demo.getByRole('button', { name: 'Upload', exact: true }).click();

    const pausedAt = await clickWhenSending(item, 'Pause');
    expect(pausedAt.percent).toBeLessThan(100);
    await item.and(demo.locator('[data-status="paused"]')).waitFor();
    expect(await demo.locator('.ud-summary__text').textContent()).toMatch(/% · 1 paused$/);
    expect(await demo.locator('[aria-live="polite"]').textContent()).toContain('Paused.');
    expect(await item.locator('.ud-row__meta').textContent()).toMatch(
      /^[\d.]+ \S+ of 24 \S+ sent$/,
    );
    await demo.screenshot({ path: join(shots, `demo-${framework}-paused.png`) });
    const kept = await item.locator('progress').evaluate((el) => (el as HTMLProgressElement).value);
    expect(disk().partial.length).toBeGreaterThan(0); // the server holds what was sent

    await item.getByRole('button', { name: 'Resume' }).click();
    const lowest = await item.evaluate(
      (li, until) =>
        new Promise<number>((resolve) => {
          let min = 100;
          const poll = () => {
            min = Math.min(min, (li.querySelector('progress') as HTMLProgressElement).value);
            if (li.getAttribute('data-status') === until) resolve(min);
            else setTimeout(poll, 5);
          };
          poll();
        }),
      'success',
    );
    expect(lowest).toBeGreaterThanOrEqual(kept); // resumed, not started over

    await eventually(() => {
      const { files, partial } = disk();
      return partial.length === 0 && files.some((f) => f.name === name && f.bytes.equals(bytes));
    }, 'the resumed upload to be published whole');

    const [copy] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: 'Download copy' }).click(),
    ]);
    expect(copy.suggestedFilename()).toBe(`resumable-${framework} (from updown).zip`);
    expect(readFileSync(await copy.path()).equals(bytes)).toBe(true);
  });

  test('takes files dropped on the zone and pasted into it', async () => {
    const zone = demo.locator('.ud-drop');
    await zone.evaluate((el, framework) => {
      const dropped = new DataTransfer();
      dropped.items.add(new File(['dropped'], `dropped-${framework}.txt`, { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        el.dispatchEvent(
          new DragEvent(type, { dataTransfer: dropped, bubbles: true, cancelable: true }),
        );
      }
    }, framework);
    await row(`dropped-${framework}.txt`).and(demo.locator('[data-status="queued"]')).waitFor();

    await zone.focus();
    await zone.evaluate((el, framework) => {
      const pasted = new DataTransfer();
      pasted.items.add(new File(['{}'], `pasted-${framework}.json`, { type: 'application/json' }));
      el.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }),
      );
    }, framework);
    await row(`pasted-${framework}.json`).and(demo.locator('[data-status="queued"]')).waitFor();
    expect(await zone.getAttribute('data-drag')).toBeNull(); // the drag ended with the drop
  });

  test('removes a rejected row alone, also when one file is refused twice', async () => {
    const bad = fixture(`twice-${framework}.exe`, 'MZ');
    const input = demo.locator('input[type=file]');
    await input.setInputFiles(bad);
    await input.setInputFiles([]);
    await input.setInputFiles(bad);
    const twice = demo.locator('li[data-status="rejected"]', { hasText: `twice-${framework}.exe` });
    await twice.nth(1).waitFor();
    const items = await demo.locator('li.ud-row:not([data-status="rejected"])').count();
    const rejections = await demo.locator('li[data-status="rejected"]').count();

    await twice
      .first()
      .getByRole('button', { name: `Remove twice-${framework}.exe` })
      .click();
    await expect.poll(() => twice.count()).toBe(1);
    expect(await demo.locator('li[data-status="rejected"]').count()).toBe(rejections - 1);
    expect(await demo.locator('li.ud-row:not([data-status="rejected"])').count()).toBe(items);
  });

  test('looks right in light and dark, with no console errors', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(400); // let the 0.15 s colour transitions finish
      await demo.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `demo-${framework}-${scheme}.png`) });
      await demo.screenshot({ path: join(shots, `demo-${framework}-${scheme}-card.png`) });
    }
    expect(errors).toEqual([]);
  });
});
