import { defineConfig } from 'vitest/config';

// Tests that run in plain Node: server rendering, and real Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ['src/**/*.ssr.test.{ts,tsx}', 'src/**/*.browser.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
