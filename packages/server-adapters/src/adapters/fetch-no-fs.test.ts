import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const preload = fileURLToPath(new URL('../test-support/without-node-fs.mjs', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/** Runs `script` in a Node where loading `node:fs` throws; answers what it printed. */
async function withoutFs(script: string, type: 'module' | 'commonjs'): Promise<string[]> {
  const { stdout } = await run(process.execPath, [
    '--import',
    preload,
    `--input-type=${type}`,
    '-e',
    script,
  ]);
  return stdout.trim().split('\n');
}

// The built entry, as an app installs it (the build runs before the tests): an upload and its
// download through memoryStorage, an s3Storage made, and the default disk storage reached only
// by the first request, which then fails for want of node:fs.
const probe = (load: string) => `
${load}
const handle = m.updown({ prefix: '/files', storage: m.memoryStorage() });
const body = new FormData();
body.append('file', new Blob(['no fs'], { type: 'text/plain' }), 'a.txt');
const up = await handle(new Request('http://x/files/upload', { method: 'POST', body }));
const { files } = await up.json();
const down = await handle(new Request('http://x' + files[0].url));
console.log(up.status, await down.text());
console.log(typeof m.s3Storage({ client: {}, bucket: 'b' }).stat);
const lazy = m.updown({ prefix: '/files' });
console.log('made');
const first = await lazy(new Request('http://x/files/upload', { method: 'POST', body }));
console.log(first.status);
await import('node:fs').then(() => console.log('fs loaded'), (e) => console.log(e.code));`;

describe('the fetch entry in a runtime without node:fs', () => {
  it('imports as ESM, and serves memory storage; only the default disk storage needs node:fs', async () => {
    const out = await withoutFs(
      probe(`const m = await import(${JSON.stringify(dist('fetch.js'))});`),
      'module',
    );
    expect(out).toEqual(['201 no fs', 'function', 'made', '500', 'ERR_NO_NODE_FS']);
  });

  it('requires as CommonJS, the same', async () => {
    const script = `(async () => {${probe(`const m = require(${JSON.stringify(dist('fetch.cjs'))});`)}})()`;
    const out = await withoutFs(script, 'commonjs');
    expect(out).toEqual(['201 no fs', 'function', 'made', '500', 'ERR_NO_NODE_FS']);
  });

  it('the hook bites: the package root, which exports diskStorage, does not load', async () => {
    const out = await withoutFs(
      `await import(${JSON.stringify(dist('index.js'))}).then(() => console.log('loaded'), (e) => console.log(e.code));`,
      'module',
    );
    expect(out).toEqual(['ERR_NO_NODE_FS']);
  });
});
