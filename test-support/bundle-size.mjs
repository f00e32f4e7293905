// Bundle size as a user's bundler sees it, for the budget tests and `bench/bundle-size`:
// esbuild bundles a one-line module for the browser (minified, ESM, tree-shaken), the
// given packages left external, and zlib gzips it at level 9. It bundles the built `dist`
// (what npm ships), so build first.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Frameworks the user brings: never counted. */
export const FRAMEWORKS = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'solid-js',
  'solid-js/*',
  '@tanstack/react-query',
];

/**
 * Minified and min+gzip bytes of `contents` (an ES module, imports resolved from
 * `resolveDir`), with `external` (and the frameworks) left out.
 */
export async function bundleSize(contents, resolveDir, external = []) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: [...FRAMEWORKS, ...external],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
