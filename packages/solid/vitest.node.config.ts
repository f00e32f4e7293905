import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

// Tests in plain Node: server rendering (JSX compiled with `generate: 'ssr'`, Solid's server
// build), and real Chromium through playwright-core (the test bundles its own app).
export default defineConfig({
  plugins: [solid({ ssr: true })],
  test: {
    include: ['src/**/*.ssr.test.{ts,tsx}', 'src/**/*.browser.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
