import type { Options } from 'tsup';

/**
 * One build shape for every package, so outputs never drift: ESM + CJS, with `.d.ts` for
 * `import` and `.d.cts` for `require`, targeting the oldest runtime we support.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    treeshake: true,
    splitting: true,
    outDir: 'dist',
    ...overrides,
  };
}
