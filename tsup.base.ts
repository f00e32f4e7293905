import type { Options } from 'tsup';

/**
 * One build shape for every package, so outputs never drift: ESM + CJS, with `.d.ts` for
 * `import` and `.d.cts` for `require`, targeting the oldest runtime we support.
 *
 * `tsup` alone writes the JavaScript (the `build:js` task) and `tsup --dts-only` the
 * declarations (`build:types`). Two tasks, because the declarations need a whole TypeScript
 * program (most of a cold build's time) while the docs site and the bundles need only the
 * JavaScript: they no longer wait for the types. The JS run leaves the declarations in
 * place (the types run replaces them), so packages built against this one never see a
 * `dist` without them.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: false,
    sourcemap: true,
    clean: ['!**/*.d.ts', '!**/*.d.cts'],
    target: 'node20',
    platform: 'neutral',
    treeshake: true,
    splitting: true,
    outDir: 'dist',
    ...overrides,
  };
}
