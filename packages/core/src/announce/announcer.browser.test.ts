import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';

// Accessibility in Chromium: the drop zone's role, accessible name and disabled state as
// assistive technology sees them (Playwright's ARIA snapshot), and the live region that
// createAnnouncer keeps, after files picked in the real file dialog are judged and sent.

const PAGE = `<!doctype html><title>a11y</title>
<body><main>
<div id="drop" aria-labelledby="drop-title"><p id="drop-title">Drop photos here</p></div>
<p id="status"></p>
</main>
<script type="module">
import { createAnnouncer, createDropzone, createUploader } from '/updown.js';
const uploader = createUploader({
  transport: async (item) => { if (item.name.startsWith('bad')) throw Object.assign(new Error('Server down'), { code: 'x' }); return {}; },
  retry: false,
  autoUpload: true,
  rules: { accept: 'image/*', maxSize: 1000 },
});
const dropzone = createDropzone(uploader);
dropzone.attach(document.getElementById('drop'));
createAnnouncer(uploader).attach(document.getElementById('status'));
Object.assign(window, { uploader, dropzone, updownReady: true });
</script></body>`;

let corePage: CorePage;
let page: Page;

beforeAll(async () => {
  corePage = await openCorePage({ html: PAGE });
  page = corePage.page;
}, 60_000);

afterAll(async () => {
  await corePage?.close();
});

async function pick(files: { name: string; mimeType: string; size: number }[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#drop').click();
  await (await chooser).setFiles(
    files.map(({ name, mimeType, size }) => ({ name, mimeType, buffer: Buffer.alloc(size) })),
  );
}

it('names the drop zone, announces what happens, and shows it disabled', async () => {
  const drop = page.locator('#drop');
  await expect
    .poll(() => drop.ariaSnapshot())
    .toBe('- button "Drop photos here":\n  - paragraph: Drop photos here');
  expect(await drop.getAttribute('tabindex')).toBe('0');

  await pick([{ name: 'cat.png', mimeType: 'image/png', size: 10 }]);
  await expect
    .poll(() => page.locator('main').ariaSnapshot())
    // Sent at once: the add and the success land in one notification.
    .toBe(
      '- main:\n  - button "Drop photos here":\n    - paragraph: Drop photos here\n  - status: cat.png added. cat.png uploaded.',
    );

  await pick([
    { name: 'movie.mp4', mimeType: 'video/mp4', size: 10 },
    { name: 'bad.png', mimeType: 'image/png', size: 10 },
  ]);
  await expect
    .poll(() => page.getByRole('status').textContent())
    .toContain('bad.png failed: Server down.');
  expect(await page.getByRole('status').textContent()).toContain(
    'movie.mp4 refused: File type must be one of image/*.',
  );
  // Live region semantics are set for the element given to attach().
  expect(
    await page
      .locator('#status')
      .evaluate((el) => [
        el.getAttribute('role'),
        el.getAttribute('aria-live'),
        el.getAttribute('aria-atomic'),
      ]),
  ).toEqual(['status', 'polite', 'true']);

  await page.evaluate(() =>
    (window as unknown as { dropzone: { update(o: object): void } }).dropzone.update({
      disabled: true,
    }),
  );
  await expect
    .poll(() => drop.ariaSnapshot())
    .toBe('- button "Drop photos here" [disabled]:\n  - paragraph: Drop photos here');
  expect(await drop.getAttribute('tabindex')).toBeNull();
});

it('announces a refusal with its reason', async () => {
  await page.evaluate(() =>
    (window as unknown as { dropzone: { update(o: object): void } }).dropzone.update({
      disabled: false,
    }),
  );
  await pick([{ name: 'huge.png', mimeType: 'image/png', size: 5000 }]);
  await expect
    .poll(() => page.getByRole('status').textContent())
    .toBe('huge.png refused: File is larger than 1000 B.');
});
