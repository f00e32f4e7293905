import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const preload = fileURLToPath(new URL('./test-support/without-aws-sdk.mjs', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/** Runs `script` in a Node without the AWS SDK; answers what it printed. */
async function withoutSdk(script: string, type: 'module' | 'commonjs'): Promise<string> {
  const { stdout } = await run(process.execPath, [
    '--import',
    preload,
    `--input-type=${type}`,
    '-e',
    script,
  ]);
  return stdout.trim();
}

// The built package, as an app installs it (the build runs before the tests).
const probe = (load: string) => `
${load}
const storage = m.s3Storage({ client: {}, bucket: 'b' });
console.log(typeof m.diskStorage, typeof storage.stat);
await storage.stat('abc').then(() => console.log('no error'), (e) => console.log(e.code));
await import('@aws-sdk/client-s3').then(() => console.log('sdk found'), (e) => console.log(e.code));`;

describe('the root entry without the optional @aws-sdk/client-s3', () => {
  it('imports as ESM; only a call into s3Storage needs the SDK', async () => {
    const out = await withoutSdk(
      probe(`const m = await import(${JSON.stringify(dist('index.js'))});`),
      'module',
    );
    expect(out.split('\n')).toEqual([
      'function function',
      'ERR_MODULE_NOT_FOUND',
      'ERR_MODULE_NOT_FOUND',
    ]);
  });

  it('requires as CommonJS; only a call into s3Storage needs the SDK', async () => {
    const script = `(async () => {${probe(`const m = require(${JSON.stringify(dist('index.cjs'))});`)}})()`;
    const out = await withoutSdk(script, 'commonjs');
    expect(out.split('\n')).toEqual([
      'function function',
      // The CommonJS build keeps the dynamic import(), so it fails the same way.
      'ERR_MODULE_NOT_FOUND',
      'ERR_MODULE_NOT_FOUND',
    ]);
  });
});
