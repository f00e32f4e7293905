// Upload intake over loopback: one multipart request to each adapter and to each peer, every
// server alone in its own child process (upload-servers.mjs, so its CPU and RSS are its own),
// files on the disk in a temp dir.
//
//   node bench/run.mjs upload            quick: 64 MiB and 1,000 x 10 KiB, 3 rounds
//   node bench/run.mjs upload --full     64 MiB, 512 MiB and 1,000 x 10 KiB, 5 rounds
//   BENCH_SIZES=256 BENCH_MANY=0 BENCH_ROUNDS=5 BENCH_ONLY=express,busboy node bench/run.mjs upload
//   BENCH_BASELINE=<commit>          adds "(baseline)" contestants built from that commit
//   BENCH_PROFILE=dir                every server runs under --cpu-prof, profiles in dir/<name>
//
// updown is bundled from the sources (updown-bundle.mjs), as tus.bench.mjs does, so it
// measures the code as it is. Contestants are interleaved within each round (a different order each round) and the median
// round is reported, so a noisy neighbour slows every one alike. Each trial checks its bytes:
// the SHA-256 of every stored file against the files sent (the raw ceilings: of the body).
// One that stored anything else is reported as failed, not fast.
//
// "To answer" is the client's time from the first byte sent to the 201. "To durable" adds an
// fsync of every file the server left and of its folder, done right after the answer: the
// peers answer with their bytes in the page cache; updown (fsync on) and the guarantees
// ceiling answer once theirs are on the disk, so this sync finds little left for them.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, retried } from './lib.mjs';
import { bundleUpdown } from './updown-bundle.mjs';
import { loadAverage, multipartScenario, removeKept, trial } from './upload-trial.mjs';

const MiB = 1024 * 1024;
const KiB = 1024;

const CONTESTANTS = [
  'updown express',
  'updown fastify',
  'updown koa',
  'updown express, fsync off',
  'updown fastify, fsync off',
  'updown koa, fsync off',
  'updown hono on @hono/node-server, fsync off',
  'busboy',
  'multer',
  '@fastify/multipart',
  'formidable',
  'koa-body',
  'ceiling: raw 1 MiB writes',
  'ceiling with our guarantees',
];
const BASELINE = [
  'updown express (baseline)',
  'updown express, fsync off (baseline)',
  'updown fastify, fsync off (baseline)',
  'updown hono on @hono/node-server, fsync off (baseline)',
];

// ---------------------------------------------------------------------------------------
// Bodies: made before the runs, sent as generated, hashed once

/** One large file made of a few random MiB repeated: nothing is held but the pool. */
function oneFile(size, pool) {
  const parts = [];
  for (let sent = 0, i = 0; sent < size; i++) {
    const piece = pool[i % pool.length];
    const n = Math.min(piece.length, size - sent);
    parts.push(n === piece.length ? piece : piece.subarray(0, n));
    sent += n;
  }
  return multipartScenario(`one ${size / MiB} MiB file`, [parts]);
}

function manyFiles(count, size) {
  const bytes = randomBytes(count * size);
  const files = Array.from({ length: count }, (_, i) => [bytes.subarray(i * size, (i + 1) * size)]);
  return multipartScenario(
    `${count.toLocaleString('en')} x ${size / KiB} KiB files in one request`,
    files,
  );
}

// ---------------------------------------------------------------------------------------
// The report

function report(scenario, contestants, results, rounds) {
  const peerBase = (field) => median(results.busboy.map((r) => r[field]));
  const ceiling = results['ceiling with our guarantees'];
  const ceilingBase = ceiling ? median(ceiling.map((r) => r.answer)) : null;
  console.log(`\n### ${scenario.label}, median of ${rounds} rounds\n`);
  console.log(
    '| contestant | bytes | MiB/s to answer | vs busboy | vs guarantees ceiling | MiB/s to durable | vs busboy | CPU s/GiB user+sys | full GCs | peak RSS over idle (MiB) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const name of contestants) {
    const list = results[name];
    const failed = list.filter((r) => !r.ok);
    if (failed.length > 0) {
      console.log(
        `| ${name} | FAILED (stored ${failed.map((r) => r.stored).join(', ')} right) | | | | | | | | |`,
      );
      continue;
    }
    const m = (field) => median(list.map((r) => r[field]));
    const answer = m('answer');
    const durable = m('durable');
    const vsCeiling = ceilingBase ? `${(answer / ceilingBase).toFixed(2)}x` : '';
    console.log(
      `| ${name} | ok | ${answer.toFixed(0)} | ${(answer / peerBase('answer')).toFixed(2)}x | ${vsCeiling} | ${durable.toFixed(0)} | ${(durable / peerBase('durable')).toFixed(2)}x | ${m('user').toFixed(2)}+${m('system').toFixed(2)} | ${m('gcMajors')} | ${Math.max(...list.map((r) => r.rss)).toFixed(0)} |`,
    );
  }
}

async function main() {
  const { request } = await import('undici');
  const full = process.argv.includes('--full');
  const sizes = (process.env.BENCH_SIZES ?? (full ? '64,512' : '64'))
    .split(',')
    .filter(Boolean)
    .map((s) => Number(s) * MiB);
  const many = process.env.BENCH_MANY ?? '1000x10';
  const rounds = Number(process.env.BENCH_ROUNDS ?? (full ? 5 : 3));
  const only = process.env.BENCH_ONLY?.split(',');
  let contestants = only ? CONTESTANTS.filter((c) => only.some((o) => c.includes(o))) : CONTESTANTS;
  if (process.env.BENCH_BASELINE) contestants = [...contestants, ...BASELINE];
  if (!contestants.includes('busboy')) contestants = [...contestants, 'busboy'];

  const pool = Array.from({ length: 4 }, () => randomBytes(MiB));
  const scenarios = sizes.map((size) => () => oneFile(size, pool));
  if (many !== '0') {
    const [count, kib] = many.split('x').map(Number);
    scenarios.push(() => manyFiles(count, kib * KiB));
  }
  const root = await mkdtemp(join(tmpdir(), 'updown-upload-bench-'));
  process.env.UPDOWN_BENCH_BUNDLE = await bundleUpdown(join(root, 'updown.mjs'));
  if (process.env.BENCH_BASELINE) {
    process.env.UPDOWN_BENCH_BASELINE_BUNDLE = await bundleUpdown(
      join(root, 'updown-baseline.mjs'),
      process.env.BENCH_BASELINE,
    );
  }
  console.log(`load average at start: ${loadAverage()} (1, 5, 15 min; ratios within a run count)`);
  try {
    for (const make of scenarios) {
      const scenario = make();
      const results = Object.fromEntries(contestants.map((c) => [c, []]));
      for (let round = 0; round < rounds; round++) {
        const order = contestants.map((_, i) => contestants[(i + round) % contestants.length]);
        for (const name of order) {
          results[name].push(await retried(() => trial(request, name, [scenario], root)));
        }
      }
      report(scenario, contestants, results, rounds);
      console.log(`\nload average: ${loadAverage()}`);
      await removeKept();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
