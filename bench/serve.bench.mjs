// Downloads served over loopback: one large file whole, and many small Range requests of a
// 64 MiB file, from each updown adapter and from each peer, every server alone in its own child
// process (serve-servers.mjs, so its CPU is its own), the same files on the disk (in the page
// cache after the first read) for all of them.
//
//   node bench/run.mjs serve                 512 MiB whole, 10,000 ranges of 4-64 KiB, 5 rounds
//   SERVE_BENCH_MIB=64 SERVE_BENCH_RANGES=2000 BENCH_ROUNDS=3 node bench/run.mjs serve
//   SERVE_BENCH_CONCURRENCY=16               range requests in flight (one keep-alive connection each)
//   SERVE_BENCH_ONLY=whole|ranges            one scenario only
//   BENCH_ONLY=express,send                  contestants whose name contains one of these
//   BENCH_BASELINE=<commit>                  adds "(baseline)" updown contestants built from that commit
//   BENCH_PROFILE=dir                        every server runs under --cpu-prof, profiles in dir/<name>
//
// updown is bundled from the sources (updown-bundle.mjs) and serves through diskStorage, its
// metadata beside each file as diskStorage writes it. Contestants are interleaved within each
// round, in a different order each round, and the median round is shown, so a noisy neighbour
// slows every one alike. Every answer is checked byte for byte against the file held in the
// client's memory (the whole file: status 200, each chunk against its place in the file, every
// byte there; a range: 206, its Content-Range, the bytes against the file's slice). A
// comparison is cheaper than a SHA-256 in the client, which shares the two cores with the
// server, and misses nothing a hash would catch. A contestant that answered any request wrong
// is reported as failed, not fast.
//
// The client is undici with keep-alive connections, the same for every contestant; its CPU per
// GiB or per request is shown beside the server's so that a contestant that is cheaper only
// because the client was slow shows it.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkServer, median, retried } from './lib.mjs';
import { PREFIX, SERVER_ENV } from './serve-servers.mjs';
import { bundleUpdown } from './updown-bundle.mjs';

const MiB = 1024 * 1024;
const KiB = 1024;
const serverScript = fileURLToPath(new URL('./serve-servers.mjs', import.meta.url));

const UPDOWN = [
  'updown express',
  'updown fastify',
  'updown koa',
  'updown fetch (@hono/node-server)',
];
const PEERS = ['send', 'express.static', '@fastify/static', 'koa-send'];
const BASELINE = UPDOWN.map((name) => `${name} (baseline)`);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

// ---------------------------------------------------------------------------------------
// The files: random bytes, held in memory for the checks, stored as diskStorage stores them

async function storeFile(dir, bytes, name) {
  const id = randomBytes(16).toString('base64url');
  await writeFile(join(dir, id), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const meta = {
    id,
    name,
    type: 'application/octet-stream',
    size: bytes.length,
    sha256,
    createdAt: Date.now(),
  };
  await writeFile(join(dir, `${id}.json`), JSON.stringify(meta));
  return { id, bytes, sha256 };
}

/** A small deterministic generator, so every contestant is asked the same ranges. */
function rangesOf(size, count, seed = 0x5eed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const length = 4 * KiB + Math.floor(next() * (60 * KiB + 1));
    const start = Math.floor(next() * (size - length + 1));
    return { start, end: start + length - 1 };
  });
}

// ---------------------------------------------------------------------------------------
// The client's two jobs, each checking every byte

/** GET the file whole; resolves with what a check needs. */
async function getWhole(pool, file) {
  const res = await pool.request({ path: `${PREFIX}/${file.id}`, method: 'GET' });
  let offset = 0;
  let same = res.statusCode === 200;
  for await (const chunk of res.body) {
    if (same) {
      same =
        offset + chunk.length <= file.bytes.length &&
        chunk.equals(file.bytes.subarray(offset, offset + chunk.length));
    }
    offset += chunk.length;
  }
  return { ok: same && offset === file.bytes.length, status: res.statusCode, bytes: offset };
}

/** GET one range; `true` when the answer is the 206 of exactly those bytes. */
async function getRange(pool, file, { start, end }) {
  const res = await pool.request({
    path: `${PREFIX}/${file.id}`,
    method: 'GET',
    headers: { range: `bytes=${start}-${end}` },
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return (
    res.statusCode === 206 &&
    res.headers['content-range'] === `bytes ${start}-${end}/${file.bytes.length}` &&
    body.equals(file.bytes.subarray(start, end + 1))
  );
}

/** Every range, `concurrency` in flight; resolves with the latencies (ms) and the failures. */
async function getRanges(pool, file, ranges, concurrency) {
  const latencies = new Float64Array(ranges.length);
  let nextIndex = 0;
  let failed = 0;
  let firstFailure;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextIndex < ranges.length) {
        const i = nextIndex++;
        const started = performance.now();
        const ok = await getRange(pool, file, ranges[i]);
        latencies[i] = performance.now() - started;
        if (!ok) {
          failed++;
          firstFailure ??= ranges[i];
        }
      }
    }),
  );
  return { latencies, failed, firstFailure };
}

// ---------------------------------------------------------------------------------------
// One trial: a fresh server, a warm-up, the measured run, the checks

function startServer(name, dir) {
  return forkServer(serverScript, SERVER_ENV, name, dir);
}

const cpuSeconds = (from, to) => ({
  user: (to.user - from.user) / 1e6,
  system: (to.system - from.system) / 1e6,
});

async function trial(Pool, name, scenario, dir) {
  const { ask, stop } = startServer(name, dir);
  try {
    const { port } = await ask();
    const pool = new Pool(`http://127.0.0.1:${port}`, {
      connections: scenario.kind === 'whole' ? 1 : scenario.concurrency,
      keepAliveTimeout: 60_000,
    });
    try {
      return await scenario.run(pool, ask);
    } finally {
      await pool.close();
    }
  } finally {
    await stop();
  }
}

function wholeScenario(file, warmFile) {
  const gib = file.bytes.length / (1024 * MiB);
  return {
    kind: 'whole',
    label: `one ${file.bytes.length / MiB} MiB file, whole`,
    async run(pool, ask) {
      // A warm server, as in production: its code compiled, its lazy imports done.
      const warm = await getWhole(pool, warmFile);
      if (!warm.ok) return { ok: false, why: `warm-up answered ${warm.status}, ${warm.bytes} B` };
      const { cpu: serverFrom } = await ask('stats');
      const clientFrom = process.cpuUsage();
      const started = process.hrtime.bigint();
      const got = await getWhole(pool, file);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const client = process.cpuUsage(clientFrom);
      const { cpu: serverTo } = await ask('stats');
      const server = cpuSeconds(serverFrom, serverTo);
      return {
        ok: got.ok,
        why: got.ok ? '' : `answered ${got.status}, ${got.bytes} B, not the file's bytes`,
        mibps: file.bytes.length / MiB / seconds,
        user: server.user / gib,
        system: server.system / gib,
        client: (client.user + client.system) / 1e6 / gib,
      };
    },
  };
}

function rangesScenario(file, count, concurrency) {
  const ranges = rangesOf(file.bytes.length, count);
  const warmUp = rangesOf(file.bytes.length, 500, 0xa11);
  const rangeBytes = ranges.reduce((n, r) => n + r.end - r.start + 1, 0);
  return {
    kind: 'ranges',
    concurrency,
    label: `${count.toLocaleString('en')} Range requests of 4-64 KiB in a ${file.bytes.length / MiB} MiB file, ${concurrency} in flight`,
    async run(pool, ask) {
      // One request first: a server without Range support answers the whole file each time.
      const probe = await pool.request({
        path: `${PREFIX}/${file.id}`,
        method: 'GET',
        headers: { range: 'bytes=0-4095' },
      });
      for await (const _ of probe.body);
      if (probe.statusCode !== 206) {
        return { ok: false, why: `answered a Range request with ${probe.statusCode}` };
      }
      const warm = await getRanges(pool, file, warmUp, concurrency);
      if (warm.failed > 0) return { ok: false, why: `${warm.failed} warm-up ranges wrong` };
      const { cpu: serverFrom } = await ask('stats');
      const clientFrom = process.cpuUsage();
      const started = process.hrtime.bigint();
      const got = await getRanges(pool, file, ranges, concurrency);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const client = process.cpuUsage(clientFrom);
      const { cpu: serverTo } = await ask('stats');
      const server = cpuSeconds(serverFrom, serverTo);
      const sorted = [...got.latencies].sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return {
        ok: got.failed === 0,
        why: got.failed === 0 ? '' : `${got.failed} of ${count} ranges wrong`,
        rps: count / seconds,
        mibps: rangeBytes / MiB / seconds,
        user: (server.user / count) * 1e6,
        system: (server.system / count) * 1e6,
        // process.cpuUsage() counts in µs.
        client: (client.user + client.system) / count,
        p50: at(0.5),
        p99: at(0.99),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------
// The report

function report(scenario, contestants, results, rounds, loads) {
  const speed = scenario.kind === 'whole' ? 'mibps' : 'rps';
  const passed = (name) => results[name].every((r) => r.ok);
  const m = (name, field) => median(results[name].map((r) => r[field]));
  const peers = contestants.filter((c) => PEERS.includes(c) && passed(c));
  const best = peers.length ? Math.max(...peers.map((p) => m(p, speed))) : Number.NaN;
  const bestName = peers.find((p) => m(p, speed) === best) ?? 'none';
  console.log(`\n### ${scenario.label}, median of ${rounds} rounds\n`);
  console.log(`load average (1, 5, 15 min) at each round: ${loads.join(' | ')}`);
  console.log(`best peer: ${bestName}\n`);
  if (scenario.kind === 'whole') {
    console.log(
      '| contestant | bytes | MiB/s | vs best peer | server CPU s/GiB user+sys | client CPU s/GiB |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  } else {
    console.log(
      '| contestant | bytes | requests/s | vs best peer | MiB/s | latency p50 / p99 (ms) | server CPU µs/request user+sys | client CPU µs/request |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  }
  for (const name of contestants) {
    if (!passed(name)) {
      const why = [...new Set(results[name].filter((r) => !r.ok).map((r) => r.why))].join('; ');
      console.log(
        `| ${name} | FAILED (${why}) |${scenario.kind === 'whole' ? ' | | | |' : ' | | | | | |'}`,
      );
      continue;
    }
    const ratio = `${(m(name, speed) / best).toFixed(2)}x`;
    const cpu = `${m(name, 'user').toFixed(2)}+${m(name, 'system').toFixed(2)}`;
    if (scenario.kind === 'whole') {
      console.log(
        `| ${name} | ok | ${m(name, 'mibps').toFixed(0)} | ${ratio} | ${cpu} | ${m(name, 'client').toFixed(2)} |`,
      );
    } else {
      console.log(
        `| ${name} | ok | ${m(name, 'rps').toFixed(0)} | ${ratio} | ${m(name, 'mibps').toFixed(0)} | ${m(name, 'p50').toFixed(2)} / ${m(name, 'p99').toFixed(2)} | ${m(name, 'user').toFixed(0)}+${m(name, 'system').toFixed(0)} | ${m(name, 'client').toFixed(0)} |`,
      );
    }
  }
}

async function main() {
  const { Pool } = await import('undici');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const bigMiB = Number(process.env.SERVE_BENCH_MIB ?? 512);
  const count = Number(process.env.SERVE_BENCH_RANGES ?? 10_000);
  const concurrency = Number(process.env.SERVE_BENCH_CONCURRENCY ?? 16);
  const onlyScenario = process.env.SERVE_BENCH_ONLY;
  const only = process.env.BENCH_ONLY?.split(',');
  let contestants = [...UPDOWN, ...PEERS];
  if (only) contestants = contestants.filter((c) => only.some((o) => c.includes(o)));
  if (process.env.BENCH_BASELINE) contestants = [...contestants, ...BASELINE];
  for (const peer of PEERS) if (!contestants.includes(peer)) contestants.push(peer);

  const root = await mkdtemp(join(tmpdir(), 'updown-serve-bench-'));
  try {
    process.env.UPDOWN_BENCH_BUNDLE = await bundleUpdown(join(root, 'updown.mjs'));
    if (process.env.BENCH_BASELINE) {
      process.env.UPDOWN_BENCH_BASELINE_BUNDLE = await bundleUpdown(
        join(root, 'updown-baseline.mjs'),
        process.env.BENCH_BASELINE,
      );
    }
    const dir = join(root, 'files');
    await mkdir(dir);
    const mid = await storeFile(dir, randomBytes(64 * MiB), 'ranges.bin');
    const scenarios = [];
    if (onlyScenario !== 'ranges') {
      const big = bigMiB === 64 ? mid : await storeFile(dir, randomBytes(bigMiB * MiB), 'big.bin');
      scenarios.push(wholeScenario(big, mid));
    }
    if (onlyScenario !== 'whole') scenarios.push(rangesScenario(mid, count, concurrency));
    console.log(`load average at start: ${load()} (1, 5, 15 min; ratios within a run count)`);
    for (const scenario of scenarios) {
      const results = Object.fromEntries(contestants.map((c) => [c, []]));
      const loads = [];
      for (let round = 0; round < rounds; round++) {
        loads.push(load());
        // Rotated each round, and backwards every other round.
        const rotated = contestants.map((_, i) => contestants[(i + round) % contestants.length]);
        const order = round % 2 ? rotated.reverse() : rotated;
        for (const name of order) {
          results[name].push(await retried(() => trial(Pool, name, scenario, dir)));
        }
      }
      loads.push(load());
      report(scenario, contestants, results, rounds, loads);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
