import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    exclude: ['src/**/*.browser.test.{ts,tsx}', 'src/**/*.ssr.test.{ts,tsx}'],
    environment: 'happy-dom',
    testTimeout: 20_000,
  },
});
