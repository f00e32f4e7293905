import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Plain tsup with the shared base, not tsup-preset-solid: the package ships no JSX (the
// primitives are plain functions over solid-js), so there is nothing for babel-preset-solid
// to compile and no `solid` export condition to add. `solid-js`, `solid-js/store` and
// `solid-js/web` stay external, so the app's resolver picks Solid's browser, server or
// development build, and `isServer` is right in each.
export default defineConfig(packageBuild({ index: 'src/index.ts' }));
