import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { type Browser, launchChromium } from './chromium';

const CORE_ENTRY = fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url));

/** A page that imports the core and puts it on `globalThis.updown`, then says it is ready. */
const CORE_PAGE =
  '<!doctype html><meta charset="utf-8"><title>updown</title><body>' +
  "<script type=module>import * as updown from '/updown.js'; globalThis.updown = updown; globalThis.updownReady = true;</script>";

/** A route of the test's own: answers and returns `true`, or leaves the request alone. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface CorePageOptions {
  /** The test's routes, tried before the page. */
  route?: Route;
  /** The page at `/`; it must import `/updown.js` and set `globalThis.updownReady`. */
  html?: string;
  /** Runs in each page before any of its scripts (`page.addInitScript`). */
  initScript?: () => void;
}

export interface CorePage {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  browser: Browser;
  /** The page opened at `/`, with the core loaded. */
  page: Page;
  /** Another page at `/`, with the core loaded (a fresh one per test, say). */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Answers with a fixed text body. */
function serve(res: ServerResponse, type: string, body: string): true {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
  return true;
}

/**
 * The core, bundled by esbuild from its sources, served on 127.0.0.1 beside the test's own
 * routes, and opened in Debian's Chromium: what every browser test of the core starts with.
 */
export async function openCorePage(options: CorePageOptions = {}): Promise<CorePage> {
  const bundle = await build({
    entryPoints: [CORE_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text;
  const html = options.html ?? CORE_PAGE;
  const server: Server = createServer((req, res) => {
    if (options.route?.(req, res)) return;
    if (req.method === 'GET' && req.url === '/updown.js') serve(res, 'text/javascript', js);
    else if (req.method === 'GET' && req.url === '/') serve(res, 'text/html', html);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium().catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });

  async function openPage(): Promise<Page> {
    const page = await browser.context.newPage();
    if (options.initScript) await page.addInitScript(options.initScript);
    await page.goto(`${origin}/`);
    await page.waitForFunction(
      () => (globalThis as { updownReady?: boolean }).updownReady === true,
    );
    return page;
  }

  return {
    origin,
    browser,
    page: await openPage(),
    openPage,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
