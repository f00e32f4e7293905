// The API reference check alone, without starting the site: `npx vitest run -c vitest.api.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/api-reference.test.ts'] } });
