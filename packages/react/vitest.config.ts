import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    exclude: ['src/**/*.browser.test.{ts,tsx}', 'src/**/*.ssr.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['src/test-support/setup.ts'],
    testTimeout: 20_000,
  },
});
