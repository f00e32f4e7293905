// Bundles the server adapters from their sources (esbuild), so a benchmark measures the code
// as it is, not whatever dist another build left, and can set it beside an earlier commit's.
// Not a benchmark itself.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Writes `outfile`: one ES module exporting `express`, `fastify`, `koa` and `fetch` (each
 * adapter's `updown`; `fetch` is the web-standard entry's), `createTusHandler` and
 * `diskStorage`, from the working tree or, with `ref`, from that commit (`git archive`,
 * read-only on the repository).
 */
export async function bundleUpdown(outfile, ref) {
  const { build } = await import('esbuild');
  let source = repo;
  if (ref) {
    source = join(dirname(outfile), `source-${ref.replace(/\W+/g, '-')}`);
    await mkdir(source, { recursive: true });
    const archive = execFileSync(
      'git',
      ['-C', repo, 'archive', ref, 'packages/server-adapters/src', 'packages/core/src'],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    execFileSync('tar', ['-x', '-C', source], { input: archive });
  }
  const adapters = join(source, 'packages/server-adapters/src');
  await build({
    stdin: {
      contents: [
        `export { updown as express } from ${JSON.stringify(join(adapters, 'adapters/express.ts'))};`,
        `export { updown as fastify } from ${JSON.stringify(join(adapters, 'adapters/fastify.ts'))};`,
        `export { updown as koa } from ${JSON.stringify(join(adapters, 'adapters/koa.ts'))};`,
        `export { updown as fetch } from ${JSON.stringify(join(adapters, 'adapters/fetch.ts'))};`,
        `export { updown as hono } from ${JSON.stringify(join(adapters, 'adapters/hono.ts'))};`,
        // The Hono its adapter was bundled with: an app of another copy would not mount it.
        `export { Hono } from 'hono';`,
        `export { createTusHandler, diskStorage } from ${JSON.stringify(join(adapters, 'index.ts'))};`,
      ].join('\n'),
      resolveDir: source,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    alias: {
      '@updown/core/rules': join(source, 'packages/core/src/rules/index.ts'),
      '@updown/core': join(source, 'packages/core/src/index.ts'),
    },
    nodePaths: [join(repo, 'node_modules')],
    // The CommonJS dependencies bundled in (busboy) require Node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    external: ['file-type', '@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}
