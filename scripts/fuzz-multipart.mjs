#!/usr/bin/env node
// The long run of the multipart property test (packages/server-adapters/src/multipart/
// multipart.property.test.ts): the same grammar and properties as in `npm test`, many more
// cases, a fresh seed unless one is given. A failure prints the seed and path to replay:
//
//   FUZZ_RUNS=5000 node scripts/fuzz-multipart.mjs
//   FUZZ_SEED=123 FUZZ_PATH="13:0:0" FUZZ_RUNS=5000 node scripts/fuzz-multipart.mjs
//
// 250 runs take about 40 s on two busy cores; 5000 about 15 minutes.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '5000',
  FUZZ_SEED: process.env.FUZZ_SEED ?? String(randomInt(2 ** 31)),
};
console.log(`multipart fuzz: ${env.FUZZ_RUNS} runs, seed ${env.FUZZ_SEED}`);
const result = spawnSync(
  'npx',
  ['vitest', 'run', 'src/multipart/multipart.property.test.ts', '-t', 'never crashes'],
  { cwd: join(root, 'packages/server-adapters'), env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
