// Builds the vanilla-core demo into dist/vanilla/ (after `astro build`, which empties dist):
// the core bundled for browsers, the HTML and CSS copied beside it.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(app, 'dist', 'vanilla');
await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(app, 'demo/main.ts')],
  outfile: join(out, 'demo.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
});
await Promise.all(
  ['index.html', 'styles.css'].map((f) => copyFile(join(app, 'demo', f), join(out, f))),
);
