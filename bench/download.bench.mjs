// Time and peak memory to save a 256 MiB download in Debian's Chromium, from data made in the
// page and from a URL, with @updown/core's `download()` beside FileSaver.js's `saveAs` in the
// same run. Time runs from the call to the file being complete on disk (Playwright's download).
// Memory is sampled every 50 ms: the browser's whole process tree RSS (from `ps`), and the
// page's JS heap (CDP Performance.getMetrics JSHeapUsedSize; ArrayBuffers and Blobs live
// outside it, so RSS is the figure that counts). Peaks are over the baseline taken just before
// each call, after the data was made and garbage was collected.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { listenOnLoopback, median } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const MiB = 1024 * 1024;
const SIZE = Number(process.env.DOWNLOAD_BENCH_MIB ?? 256) * MiB;
const CHROMIUM = '/usr/bin/chromium';
const ROUNDS = Number(process.env.DOWNLOAD_BENCH_ROUNDS ?? 3);

if (!existsSync(CHROMIUM)) {
  console.log('skipped: /usr/bin/chromium is missing (scripts/ensure-chromium.sh installs it)');
} else {
  await run();
}

async function run() {
  const core = (
    await build({
      entryPoints: [join(root, 'packages/core/src/index.ts')],
      bundle: true,
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
    })
  ).outputFiles[0].text;
  const fileSaver = readFileSync(require.resolve('file-saver/dist/FileSaver.min.js'), 'utf8');
  const chunk = Buffer.alloc(MiB).map((_, i) => i % 251);

  const serveBig = (res, headers = {}) => {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': SIZE,
      ...headers,
    });
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += MiB;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
  let pageOrigin = '';
  const pageServer = await listen((req, res) => {
    if (req.url === '/core.js') return send(res, 'text/javascript', core);
    if (req.url === '/FileSaver.js') return send(res, 'text/javascript', fileSaver);
    if (req.url === '/big.bin') return serveBig(res);
    send(
      res,
      'text/html',
      '<!doctype html><title>bench</title><script src="/FileSaver.js"></script>' +
        '<script type="module">import * as core from "/core.js"; window.core = core; window.ready = true;</script>',
    );
  });
  pageOrigin = pageServer.url;
  // A second origin, so that both libraries fetch the bytes into a Blob themselves.
  const otherServer = await listen((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': pageOrigin };
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...cors, 'Content-Length': SIZE });
      return res.end();
    }
    serveBig(res, cors);
  });

  const profile = mkdtempSync(join(tmpdir(), 'updown-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const browserPid = findBrowserPid(profile);

  const makeData = `window.bytes = new Uint8Array(${SIZE}); for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i & 255;`;
  const cross = `${otherServer.url}/big.bin`;
  const cases = [
    {
      group: 'from data',
      name: '@updown/core download({ data })',
      prepare: makeData,
      // The default revoke delay, FileSaver's own 40 s: with 1 s, Chromium was still writing
      // the 256 MiB when its URL was revoked, and took 1.3-2.9x FileSaver's time.
      call: `core.download({ data: bytes, filename: 'big.bin' })`,
    },
    {
      group: 'from data',
      name: 'FileSaver saveAs(new Blob([data]))',
      peer: true,
      prepare: makeData,
      call: `saveAs(new Blob([bytes], { type: 'application/octet-stream' }), 'big.bin')`,
    },
    {
      group: 'same-origin URL',
      name: '@updown/core download({ url }) (link)',
      call: `core.download({ url: '/big.bin', filename: 'big.bin' })`,
    },
    {
      group: 'same-origin URL',
      name: 'FileSaver saveAs(url) (link)',
      peer: true,
      call: `saveAs('/big.bin', 'big.bin')`,
    },
    {
      group: 'cross-origin URL',
      name: '@updown/core download({ url }) (fetch, Blob)',
      call: `core.download({ url: '${cross}', filename: 'big.bin', revokeDelayMs: 1000 })`,
    },
    {
      group: 'cross-origin URL',
      name: '@updown/core createDownloader().start() (byte progress)',
      call: `core.createDownloader({ url: '${cross}', filename: 'big.bin', revokeDelayMs: 1000, onProgress: () => {} }).start()`,
    },
    {
      group: 'cross-origin URL',
      name: 'FileSaver saveAs(url) (XHR, Blob)',
      peer: true,
      call: `saveAs('${cross}', 'big.bin')`,
    },
  ];

  console.log(
    `${SIZE / MiB} MiB each; Chromium ${context.browser()?.version() ?? ''}; peaks over the baseline before the call\n`,
  );
  // DOWNLOAD_BENCH_GROUP=cross runs only the cases whose group contains it.
  const only = process.env.DOWNLOAD_BENCH_GROUP;
  if (only) cases.splice(0, cases.length, ...cases.filter((c) => c.group.includes(only)));
  // Rounds interleave the contestants, so a noisy neighbour hurts both alike; medians are shown.
  const runs = cases.map(() => []);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { prepare, call }] of cases.entries()) {
        runs[i].push(await measure(context, pageOrigin, browserPid, prepare, call));
      }
    }
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
    pageServer.close();
    otherServer.close();
  }

  const results = cases.map(({ group, name, peer }, i) => ({
    group,
    name,
    peer,
    ms: median(runs[i].map((r) => r.ms)),
    peakRss: median(runs[i].map((r) => r.peakRss)),
    peakHeap: median(runs[i].map((r) => r.peakHeap)),
  }));
  console.log(`median of ${ROUNDS} rounds\n`);
  console.log('| case | library | time | MiB/s | peak RSS (browser) | peak JS heap |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.group} | ${r.name} | ${(r.ms / 1000).toFixed(2)} s | ${(SIZE / MiB / (r.ms / 1000)).toFixed(0)} | ${(r.peakRss / MiB).toFixed(0)} MiB | ${(r.peakHeap / MiB).toFixed(1)} MiB |`,
    );
  }
  console.log(
    '\nratios, @updown/core ÷ FileSaver in the same case (below 1 is better for updown):',
  );
  for (const ours of results.filter((r) => !r.peer)) {
    const peer = results.find((r) => r.peer && r.group === ours.group);
    console.log(
      `  ${ours.group}, ${ours.name}: time ×${(ours.ms / peer.ms).toFixed(2)}, peak RSS ×${(ours.peakRss / Math.max(peer.peakRss, MiB)).toFixed(2)}`,
    );
  }
}

async function measure(context, origin, browserPid, prepare, call) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(origin);
  await page.waitForFunction(() => window.ready === true);
  if (prepare) await page.evaluate(prepare);
  await cdp.send('HeapProfiler.collectGarbage');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  const baseRss = treeRss(browserPid);
  const baseHeap = await heap();
  let peakRss = 0;
  let peakHeap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, treeRss(browserPid) - baseRss);
      peakHeap = Math.max(peakHeap, (await heap().catch(() => baseHeap)) - baseHeap);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const started = performance.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.evaluate(call),
  ]);
  const path = await download.path();
  const ms = performance.now() - started;
  sampling = false;
  await sampler;
  const size = Number(execFileSync('stat', ['-c', '%s', path], { encoding: 'utf8' }));
  if (size !== SIZE) throw new Error(`saved ${size} bytes, expected ${SIZE}`);
  await download.delete();
  await page.close();
  return { ms, peakRss, peakHeap };
}

function findBrowserPid(profile) {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const main = lines.find(
    (line) => line.includes(`--user-data-dir=${profile}`) && !line.includes('--type='),
  );
  if (!main) throw new Error('could not find the Chromium process');
  return Number(main.trim().split(/\s+/, 1)[0]);
}

/** RSS of a process and all its descendants, in bytes. */
function treeRss(rootPid) {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const children = new Map();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib * 1024]));
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function send(res, type, body) {
  res.writeHead(200, { 'Content-Type': type });
  res.end(body);
}

async function listen(handler) {
  const server = createServer(handler);
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
