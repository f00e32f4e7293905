// Runs every benchmark in this folder (`*.bench.mjs`) one after another, or only those whose
// name contains an argument: `npm run bench -- upload`. Flags (`--full`) are left in
// process.argv for the benchmarks to read.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.includes(w)))
  .sort();

for (const name of benches) {
  console.log(`\n## ${name}\n`);
  await import(pathToFileURL(join(here, name)).href);
}
