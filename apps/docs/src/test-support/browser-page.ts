import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser } from '../../../../test-support/chromium';

/** A page that records every console error and uncaught exception. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return { page, errors };
}

export interface StoredOnDisk {
  /** Metadata of every published file. */
  files: { id: string; name: string; size: number; bytes: Buffer }[];
  /** Whatever is still in the partial folder. */
  partial: string[];
}

/** What the demo server's disk storage holds right now. */
export function storedOnDisk(dataDir: string): StoredOnDisk {
  if (!existsSync(dataDir)) return { files: [], partial: [] };
  const partialDir = join(dataDir, '.partial');
  const partial = existsSync(partialDir) ? readdirSync(partialDir) : [];
  const files = readdirSync(dataDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const meta = JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as {
        id: string;
        name: string;
        size: number;
      };
      return { ...meta, bytes: readFileSync(join(dataDir, meta.id)) };
    });
  return { files, partial };
}

/** Polls until `check` returns true (robust on a slow machine), or throws with `what`. */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
