// The examples check alone, without starting the site: `npx vitest run -c vitest.examples.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/examples.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
