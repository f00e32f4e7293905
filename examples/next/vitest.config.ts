import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.ts'],
    // `next build` takes a minute or more on a busy 2-core machine.
    hookTimeout: 300_000,
    testTimeout: 60_000,
  },
});
