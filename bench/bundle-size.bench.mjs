// Bundle size of each published entry of @updown/react and @updown/solid, min+gzip, beside
// react-dropzone and @uppy/react measured the same way: esbuild bundles a one-line module
// for the browser (minified, ESM, tree-shaken) with the framework left external, and zlib
// gzips it at level 9. Dependencies are included (our core, Uppy's core), since users pay
// for them. `npm run bench` builds the packages' dist first.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const external = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'solid-js',
  'solid-js/*',
  '@tanstack/react-query',
];

const cases = [
  ['@updown/react (all exports)', "export * from '@updown/react';"],
  ['@updown/react useUpload only', "export { useUpload } from '@updown/react';"],
  ['@updown/react/query (all exports)', "export * from '@updown/react/query';"],
  ['@updown/solid (all exports)', "export * from '@updown/solid';"],
  ['@updown/solid useUpload only', "export { useUpload } from '@updown/solid';"],
  [
    '@updown/core createUploader + createDropzone (inside useUpload)',
    "export { createUploader, createDropzone } from '@updown/core';",
  ],
  ['react-dropzone (all exports)', "export * from 'react-dropzone';"],
  [
    '@uppy/react useDropzone + useUppyState + @uppy/core Uppy',
    "export { useDropzone, useUppyState } from '@uppy/react'; export { default as Uppy } from '@uppy/core';",
  ],
];

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const rows = [];
for (const [name, contents] of cases) {
  try {
    rows.push({ name, ...(await measure(contents)) });
  } catch (error) {
    rows.push({ name, error: error.errors?.[0]?.text ?? error.message });
  }
}

const kb = (n) => `${(n / 1024).toFixed(2)} KiB`;
const baseline = rows.find((r) => r.name === 'react-dropzone (all exports)');
console.log('| entry | min | min+gzip | gzip vs react-dropzone |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.name} | – | – | not measured: ${r.error} |`);
    continue;
  }
  const ratio = baseline?.gzip ? `${(r.gzip / baseline.gzip).toFixed(2)}×` : '–';
  console.log(`| ${r.name} | ${kb(r.min)} | ${kb(r.gzip)} | ${ratio} |`);
}
