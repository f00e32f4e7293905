import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSize } from '../../../test-support/bundle-size.mjs';

// Budgets in bytes, min+gzip, of the built dist as a user's bundler takes it (see
// test-support/bundle-size.mjs). Size is deterministic, so these are hard limits: a change
// that grows past one has to win the bytes back or move the budget on purpose, in review.
// Issue 15 asks for 6 KiB (uploader + dropzone) and 3 KiB (tus): these ceilings hold what
// was reached (8,512 and 3,569 bytes, 2026-12-02, after the MIME table, the non-XHR paths and
// tus checksums became imports, then shared error, file-item and attribute helpers, one path
// for the progress aggregate's sums, declared error fields and impossible guards gone: 8,854
// and 3,593 before), with a few bytes for how tsup happens to split the dist into chunks, so
// the size only goes down from here. Then 8,457, 3,429 and 4,370 (s3) bytes, 2026-12-02, once
// waits no longer brought the default clock (`performance.now`) into bundles that only wait,
// dropped files came as one list, and one-caller helpers were written where they are used
// (8,520, 3,569 and 4,401 before).
const BUDGETS: [name: string, source: string, limit: number][] = [
  [
    'createUploader + createDropzone',
    "export { createUploader, createDropzone } from '@updown/core';",
    8_466,
  ],
  ['tusTransport', "export { tusTransport } from '@updown/core';", 3_438],
  // Direct-to-bucket uploads (issue 13): 4,389 bytes when it landed.
  ['s3Transport', "export { s3Transport } from '@updown/core';", 4_380],
];

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('bundle size (min+gzip, from dist)', () => {
  it.each(BUDGETS)('%s stays within its budget', async (_name, source, limit) => {
    const { gzip } = await bundleSize(source, packageDir);
    expect(gzip).toBeLessThanOrEqual(limit);
  });
});
