import type { Page } from 'playwright-core';
import type { Browser } from './chromium';

/**
 * The scenario the React and Solid browser tests share: a page with `#zone` (the root),
 * `#drag` (`active`/`idle`) and `.row` items (`name:status:percent`) gets two files dropped
 * with a real DataTransfer. Resolves once both rows read `success:100`, with the page and the
 * errors it threw; the caller checks what is particular to its framework.
 */
export async function dropTwoFiles(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('#zone');
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a'.repeat(200_000)], 'first.txt', { type: 'text/plain' }));
    dt.items.add(new File(['b'.repeat(1_000)], 'second.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.dispatchEvent('#zone', 'dragenter', { dataTransfer });
  await page.dispatchEvent('#zone', 'dragover', { dataTransfer });
  await page.waitForFunction(() => document.getElementById('drag')?.textContent === 'active');
  await page.dispatchEvent('#zone', 'drop', { dataTransfer });
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('.row'), (li) => li.textContent).join('|') ===
      'first.txt:success:100|second.txt:success:100',
    undefined,
    { timeout: 20_000 },
  );
  return { page, errors };
}
