// Bundle size of updown's browser entries, min+gzip, beside react-dropzone, @uppy/core +
// @uppy/react and tus-js-client measured the same way (test-support/bundle-size.mjs, the
// helper the budget tests use): esbuild bundles a one-line module for the browser (minified,
// ESM, tree-shaken) with the framework left external, and zlib gzips it at level 9.
// Dependencies are included (our core, Uppy's core), since users pay for them; the "over the
// core" rows leave @updown/core out, which is what a hook package's budget counts.
// `npm run bench` builds the packages' dist first.
// react-dropzone is 14.4.1, the last line whose engines admit Node 20 (20.x wants Node 22); its
// file-selector 2 carries a full MIME table (about 41 KB of its min), which 20.x dropped: 20.1.4
// measured 6,461 B min+gzip here on 2026-12-02, the figure issue 15 quotes.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../test-support/bundle-size.mjs';

// Resolved from the bench workspace: its peers (react-dropzone, Uppy) may be installed in its own node_modules.
const here = dirname(fileURLToPath(import.meta.url));
const KiB = 1024;
const core = ['@updown/core', '@updown/core/*'];

// [name, module, external, budget in bytes (issue 15) or null]
const cases = [
  [
    '@updown/core createUploader + createDropzone',
    "export { createUploader, createDropzone } from '@updown/core';",
    [],
    6 * KiB,
  ],
  ['@updown/core tusTransport', "export { tusTransport } from '@updown/core';", [], 3 * KiB],
  ['@updown/react (all exports) over the core', "export * from '@updown/react';", core, 2 * KiB],
  [
    '@updown/react/query (all exports) over the core',
    "export * from '@updown/react/query';",
    core,
    2 * KiB,
  ],
  ['@updown/solid (all exports) over the core', "export * from '@updown/solid';", core, 2 * KiB],
  [
    '@updown/react useUpload, core included',
    "export { useUpload } from '@updown/react';",
    [],
    null,
  ],
  [
    '@updown/solid useUpload, core included',
    "export { useUpload } from '@updown/solid';",
    [],
    null,
  ],
  ['react-dropzone (all exports)', "export * from 'react-dropzone';", [], null],
  [
    '@uppy/react useDropzone + useUppyState + @uppy/core Uppy',
    "export { useDropzone, useUppyState } from '@uppy/react'; export { default as Uppy } from '@uppy/core';",
    [],
    null,
  ],
  ['tus-js-client Upload', "export { Upload } from 'tus-js-client';", [], null],
];

const rows = [];
for (const [name, contents, external, budget] of cases) {
  try {
    rows.push({ name, budget, ...(await bundleSize(contents, here, external)) });
  } catch (error) {
    rows.push({ name, budget, error: error.errors?.[0]?.text ?? error.message });
  }
}

const kb = (n) => `${(n / KiB).toFixed(2)} KiB`;
const baseline = rows.find((r) => r.name === 'react-dropzone (all exports)');
console.log('| entry | min | min+gzip (bytes) | budget | gzip vs react-dropzone |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.name} | – | – | – | not measured: ${r.error} |`);
    continue;
  }
  const ratio = baseline?.gzip ? `${(r.gzip / baseline.gzip).toFixed(2)}×` : '–';
  const budget = r.budget === null ? '' : `${kb(r.budget)} ${r.gzip <= r.budget ? 'met' : 'over'}`;
  console.log(`| ${r.name} | ${kb(r.min)} | ${kb(r.gzip)} (${r.gzip}) | ${budget} | ${ratio} |`);
}
