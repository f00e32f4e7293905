// @vitest-environment node
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSize } from '../../../test-support/bundle-size.mjs';

// What this package adds on top of the core it imports, min+gzip, of the built dist as a
// user's bundler takes it (see test-support/bundle-size.mjs): the core and the framework are
// left out, since the core is counted by its own budgets. Size is deterministic, so this is
// a hard limit (issue 15: at most 2 KiB per hook package).
const BUDGET = 2 * 1024;
const ENTRIES: [name: string, source: string][] = [
  ['@updown/react', "export * from '@updown/react';"],
  ['@updown/react/query', "export * from '@updown/react/query';"],
];

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('bundle size over the core (min+gzip, from dist)', () => {
  it.each(ENTRIES)('%s (all exports) stays within 2 KiB', async (_name, source) => {
    const { gzip } = await bundleSize(source, packageDir, ['@updown/core', '@updown/core/*']);
    expect(gzip).toBeLessThanOrEqual(BUDGET);
  });
});
