// Concurrent upload intake (issue 15): 50 clients each send one 8 MiB multipart file at the
// same moment, one connection each, to every adapter (with fsync on, the default, and off,
// the same work as the peers) and to the peers of upload.bench.mjs, each server alone in a
// child process (upload-servers.mjs), files on the disk in a temp dir.
//
//   node bench/run.mjs concurrency                        50 x 8 MiB, 3 rounds
//   BENCH_CLIENTS=100 BENCH_CONCURRENCY_MIB=4 BENCH_ROUNDS=5 BENCH_ONLY=express,busboy \
//     node bench/run.mjs concurrency
//   BENCH_PROFILE=dir                                     every server under --cpu-prof
//   BENCH_BASELINE=<commit>                               adds "(baseline)" updown contestants
//                                                         built from that commit, in the same run
//
// The trial is upload.bench.mjs's (upload-trial.mjs) with many bodies instead of one: a warm
// server, then every request at once; each request's latency runs from that common start to
// its 201. Contestants are interleaved within each round, in a different order each round,
// and the median round is shown. Every stored file is checked by SHA-256 against the 50 sent
// (each file differs from the others); a contestant that stored anything else, or answered
// any request with an error, is reported as failed, not fast.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile, retried } from './lib.mjs';
import { bundleUpdown } from './updown-bundle.mjs';
import { loadAverage, multipartScenario, trial } from './upload-trial.mjs';

const MiB = 1024 * 1024;
const KiB = 1024;

const CONTESTANTS = [
  'updown express',
  'updown fastify',
  'updown koa',
  'updown fetch on @hono/node-server',
  'updown express, fsync off',
  'updown fastify, fsync off',
  'updown koa, fsync off',
  'updown fetch on @hono/node-server, fsync off',
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
  'updown fetch on @hono/node-server, fsync off (baseline)',
];

/**
 * `count` bodies of one file of `size` bytes each, all different (a random head of its own,
 * then a shared random pool in an order of its own), so a file stored under the wrong request
 * or twice fails the check; only the pool and the heads are held.
 */
function clientBodies(count, size) {
  const pool = Array.from({ length: 8 }, () => randomBytes(MiB));
  return Array.from({ length: count }, (_, i) => {
    const parts = [randomBytes(4 * KiB)];
    for (let sent = parts[0].length, j = i; sent < size; j++) {
      const piece = pool[j % pool.length];
      const n = Math.min(piece.length, size - sent);
      parts.push(n === piece.length ? piece : piece.subarray(0, n));
      sent += n;
    }
    return multipartScenario(`client ${i}`, [parts]);
  });
}

function report(label, contestants, results, rounds) {
  const busboy = results.busboy;
  const base = (field) => median(busboy.map((r) => r[field]));
  const baseP50 = median(busboy.map((r) => percentile(r.latencies, 50)));
  console.log(`\n### ${label}, median of ${rounds} rounds\n`);
  console.log(
    '| contestant | bytes | p50 ms | p99 ms | p50 speed vs busboy | MiB/s to last answer | vs busboy | MiB/s to durable | vs busboy | CPU s/GiB user+sys | page faults per GiB | GC ms/GiB full+other (full GCs) | peak RSS over idle (MiB) | machine CPU busy | load (1 min) each round |',
  );
  console.log(
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const name of contestants) {
    const list = results[name];
    const loads = list.map((r) => r.load.toFixed(1)).join(', ');
    const failed = list.filter((r) => !r.ok);
    if (failed.length > 0) {
      console.log(
        `| ${name} | FAILED (stored ${failed.map((r) => r.stored).join('; ')} right) | | | | | | | | | | | | | ${loads} |`,
      );
      continue;
    }
    const m = (field) => median(list.map((r) => r[field]));
    const p50 = median(list.map((r) => percentile(r.latencies, 50)));
    const p99 = median(list.map((r) => percentile(r.latencies, 99)));
    console.log(
      `| ${name} | ok | ${p50.toFixed(0)} | ${p99.toFixed(0)} | ${(baseP50 / p50).toFixed(2)}x | ${m('answer').toFixed(0)} | ${(m('answer') / base('answer')).toFixed(2)}x | ${m('durable').toFixed(0)} | ${(m('durable') / base('durable')).toFixed(2)}x | ${m('user').toFixed(2)}+${m('system').toFixed(2)} | ${(m('faults') / 1000).toFixed(0)}k | ${m('gcMajorMs').toFixed(0)}+${m('gcMinorMs').toFixed(0)} (${m('gcMajors')}) | ${Math.max(...list.map((r) => r.rss)).toFixed(0)} | ${(m('machineBusy') * 100).toFixed(0)}% | ${loads} |`,
    );
  }
}

async function main() {
  const { request } = await import('undici');
  const clients = Number(process.env.BENCH_CLIENTS ?? 50);
  const size = Number(process.env.BENCH_CONCURRENCY_MIB ?? 8) * MiB;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const only = process.env.BENCH_ONLY?.split(',');
  let contestants = only ? CONTESTANTS.filter((c) => only.some((o) => c.includes(o))) : CONTESTANTS;
  if (process.env.BENCH_BASELINE) {
    const baseline = only ? BASELINE.filter((c) => only.some((o) => c.includes(o))) : BASELINE;
    contestants = [...contestants, ...baseline];
  }
  if (!contestants.includes('busboy')) contestants = [...contestants, 'busboy'];

  const bodies = clientBodies(clients, size);
  const root = await mkdtemp(join(tmpdir(), 'updown-concurrency-bench-'));
  process.env.UPDOWN_BENCH_BUNDLE = await bundleUpdown(join(root, 'updown.mjs'));
  if (process.env.BENCH_BASELINE) {
    process.env.UPDOWN_BENCH_BASELINE_BUNDLE = await bundleUpdown(
      join(root, 'updown-baseline.mjs'),
      process.env.BENCH_BASELINE,
    );
  }
  console.log(`load average at start: ${loadAverage()} (1, 5, 15 min; ratios within a run count)`);
  try {
    const results = Object.fromEntries(contestants.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotated each round, and reversed every other round: no one always follows the same one.
      const order = contestants.map((_, i) => contestants[(i + round) % contestants.length]);
      if (round % 2 === 1) order.reverse();
      for (const name of order) {
        results[name].push(await retried(() => trial(request, name, bodies, root)));
      }
    }
    report(
      `${clients} clients x one ${size / MiB} MiB file each, at once`,
      contestants,
      results,
      rounds,
    );
    console.log(`\nload average at end: ${loadAverage()}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
