import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

// Client tests: Solid's browser build in happy-dom. The SSR test has its own config
// (vitest.ssr.config.ts) because the server build needs other resolve conditions.
export default defineConfig({
  plugins: [solid()],
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    exclude: ['src/**/*.ssr.test.{ts,tsx}', 'src/**/*.browser.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['src/test-support/setup.ts'],
    testTimeout: 20_000,
  },
});
