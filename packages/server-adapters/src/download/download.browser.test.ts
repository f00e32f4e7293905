import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from '../../../../test-support/chromium';
import type { StoredFile } from '../handler/handler-types';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { type AdapterName, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { DOWNLOAD_CSP } from './content-headers';
import { activePage, activeSvg, PNG, tusUpload } from './test-support/download-fixtures';

// What a browser does with what the adapters serve: an uploaded page or picture with a script
// is opened as a user would open its link, and the script must not run on the app's origin.

const ADAPTERS: AdapterName[] = ['express', 'fastify', 'koa'];

let browser: Browser;
let beacon: Server;
let beaconUrl: string;
let hits = 0;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'updown-dl-browser-'));
  beacon = createServer((_req, res) => {
    hits++;
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
    res.end();
  });
  await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}/ran`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  beacon.closeAllConnections();
  await new Promise((resolve) => beacon.close(resolve));
  await rm(root, { recursive: true, force: true });
});

/** Opens `url` in a fresh tab; resolves with its title, or `null` when it became a download. */
async function open(url: string): Promise<string | null> {
  const page = await browser.context.newPage();
  try {
    const downloaded = page.waitForEvent('download', { timeout: 3000 }).then(
      () => true,
      () => false,
    );
    const shown = await page.goto(url).then(
      () => true,
      () => false,
    );
    if (!shown && (await downloaded)) return null;
    await page.waitForTimeout(200);
    return await page.title();
  } finally {
    await page.close();
  }
}

describe.each(ADAPTERS)('%s in Chromium', (name) => {
  let app: RunningApp;

  beforeAll(async () => {
    const directory = join(root, name);
    await mkdir(join(directory, PARTIAL_DIR), { recursive: true });
    app = await startApp(name, { options: { storage: diskStorage({ directory }) } });
  });
  afterAll(() => app.close());

  async function upload(filename: string, type: string, data: string | Uint8Array) {
    const answer = await postMultipart(`${app.base}/upload`, [
      { name: 'file', filename, type, data },
    ]);
    return answer.body.files?.[0] as StoredFile;
  }

  it('runs no script of an uploaded HTML or SVG opened inline, and still shows an inline PNG', async () => {
    hits = 0;
    const targets = [
      (await upload('x.html', 'text/html', activePage(beaconUrl))).url,
      (await upload('innocent.png', 'text/html', activePage(beaconUrl))).url,
      (await upload('evil.svg', 'image/svg+xml', activeSvg(beaconUrl))).url,
      `/api/files/${await tusUpload(app.base, activePage(beaconUrl), { filename: 'tus.html', filetype: 'text/html' })}`,
    ];
    for (const url of targets) {
      const title = await open(`${app.origin}${url}?disposition=inline`);
      expect(title, url).not.toBe('ran');
    }
    expect(hits).toBe(0);

    const png = await upload('dot.png', 'image/png', PNG);
    const page = await browser.context.newPage();
    try {
      await page.goto(`${app.origin}${png.url}?disposition=inline`);
      const width = await page.evaluate(() => document.images[0]?.naturalWidth ?? 0);
      expect(width).toBe(1);
    } finally {
      await page.close();
    }
  });
});

describe('the download policy alone', () => {
  it('keeps a page rendered inline despite it (an app overriding the disposition) from running its script', async () => {
    hits = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': DOWNLOAD_CSP,
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(activePage(beaconUrl));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await open(`http://127.0.0.1:${port}/page.html`)).not.toBe('ran');
      expect(hits).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
