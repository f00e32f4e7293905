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

import { execFileSync, fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fsyncAll, median, sha256OfFile, storedFiles } from './lib.mjs';
import { bundleUpdown } from './updown-bundle.mjs';
import { RAW, SERVER_ENV } from './upload-servers.mjs';

const MiB = 1024 * 1024;
const KiB = 1024;
const serverScript = fileURLToPath(new URL('./upload-servers.mjs', import.meta.url));

const CONTESTANTS = [
  'updown express',
  'updown fastify',
  'updown koa',
  'updown express, fsync off',
  'updown fastify, fsync off',
  'updown koa, fsync off',
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
];

// ---------------------------------------------------------------------------------------
// Bodies: made before the runs, sent as generated, hashed once

/** A multipart body for `files` (each a list of buffers), with what a check expects. */
function multipartScenario(label, files) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const pieces = [];
  const fileHashes = [];
  let length = 0;
  const push = (buffer) => {
    pieces.push(buffer);
    length += buffer.length;
  };
  files.forEach((parts, i) => {
    push(
      Buffer.from(
        `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f${i}.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
    );
    const hash = createHash('sha256');
    for (const part of parts) {
      hash.update(part);
      push(part);
    }
    fileHashes.push(hash.digest('hex'));
  });
  push(Buffer.from(`\r\n--${boundary}--\r\n`));
  const bodyHash = createHash('sha256');
  for (const piece of pieces) bodyHash.update(piece);
  return {
    label,
    boundary,
    length,
    fileBytes: files.reduce((n, parts) => n + parts.reduce((m, p) => m + p.length, 0), 0),
    fileHashes: fileHashes.sort(),
    bodyHash: bodyHash.digest('hex'),
    // Small pieces are sent together, as a client's 64 KiB writes would be.
    *body() {
      let pending = [];
      let pendingBytes = 0;
      for (const piece of pieces) {
        if (piece.length >= 64 * KiB) {
          if (pendingBytes > 0) yield Buffer.concat(pending);
          pending = [];
          pendingBytes = 0;
          yield piece;
        } else {
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes >= 64 * KiB) {
            yield Buffer.concat(pending);
            pending = [];
            pendingBytes = 0;
          }
        }
      }
      if (pendingBytes > 0) yield Buffer.concat(pending);
    },
  };
}

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

/** Sent to every server before its trial: a few files, a few hundred KiB. */
const WARM_UP = multipartScenario(
  'warm-up',
  Array.from({ length: 4 }, () => [randomBytes(100 * KiB)]),
);

/** Removes what the warm-up stored, leaving the server's working folders. */
async function clear(dir) {
  const entries = await readdir(dir);
  await Promise.all(
    entries.filter((e) => e !== '.partial').map((e) => rm(join(dir, e), { recursive: true })),
  );
}

// ---------------------------------------------------------------------------------------
// One trial: a fresh server, one request, the checks

function startServer(name, dir) {
  const profile = process.env.BENCH_PROFILE;
  const child = fork(serverScript, [], {
    env: { ...process.env, [SERVER_ENV]: JSON.stringify({ name, dir }) },
    execArgv: profile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(profile, name.replace(/\W+/g, '-'))}`]
      : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
      if (message) child.send(message);
    });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.send('exit');
    });
  return { ask, stop };
}

async function checkBytes(name, dir, scenario) {
  const paths = await storedFiles(dir);
  const hashes = (await Promise.all(paths.map(sha256OfFile))).sort();
  const expected = RAW.has(name) ? [scenario.bodyHash] : scenario.fileHashes;
  const ok = hashes.length === expected.length && hashes.every((h, i) => h === expected[i]);
  return { ok, paths, stored: hashes.length, expected: expected.length };
}

async function trial(request, name, scenario, root) {
  const dir = join(root, `${name.replace(/\W+/g, '-')}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const { ask, stop } = startServer(name, dir);
  try {
    const { port } = await ask();
    const send = async (body) => {
      const res = await request(`http://127.0.0.1:${port}/api/files/upload`, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${body.boundary}`,
          'content-length': String(body.length),
        },
        body: body.body(),
      });
      await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${name} answered ${res.statusCode}`);
    };
    // A warm server, as in production: its code compiled, its lazy imports done.
    await send(WARM_UP);
    await clear(dir);
    const { cpu: cpuAtStart, rss: idleRss } = await ask('reset-peak');
    const started = process.hrtime.bigint();
    await send(scenario);
    const answered = process.hrtime.bigint();
    const paths = await storedFiles(dir);
    await fsyncAll(paths, dir);
    const durable = process.hrtime.bigint();
    const { peakRss, cpu } = await ask('stats');
    const check = await checkBytes(name, dir, scenario);
    const toAnswer = Number(answered - started) / 1e9;
    const toDurable = Number(durable - started) / 1e9;
    const gib = scenario.fileBytes / (1024 * MiB);
    return {
      ok: check.ok,
      stored: `${check.stored}/${check.expected}`,
      answer: scenario.fileBytes / MiB / toAnswer,
      durable: scenario.fileBytes / MiB / toDurable,
      user: (cpu.user - cpuAtStart.user) / 1e6 / gib,
      system: (cpu.system - cpuAtStart.system) / 1e6 / gib,
      rss: (peakRss - idleRss) / MiB,
    };
  } finally {
    await stop();
    await rm(dir, { recursive: true, force: true });
    // Flush what this one left dirty (its rm included) before the next one starts.
    execFileSync('sync');
  }
}

/** A server that fails to start (a package being rebuilt under it) gets two more chances. */
async function retried(run) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(`retrying after: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

// ---------------------------------------------------------------------------------------
// The report

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function report(scenario, contestants, results, rounds) {
  const peerBase = (field) => median(results.busboy.map((r) => r[field]));
  const ceiling = results['ceiling with our guarantees'];
  const ceilingBase = ceiling ? median(ceiling.map((r) => r.answer)) : null;
  console.log(`\n### ${scenario.label}, median of ${rounds} rounds\n`);
  console.log(
    '| contestant | bytes | MiB/s to answer | vs busboy | vs guarantees ceiling | MiB/s to durable | vs busboy | CPU s/GiB user+sys | peak RSS over idle (MiB) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const name of contestants) {
    const list = results[name];
    const failed = list.filter((r) => !r.ok);
    if (failed.length > 0) {
      console.log(
        `| ${name} | FAILED (stored ${failed.map((r) => r.stored).join(', ')} right) | | | | | | | |`,
      );
      continue;
    }
    const m = (field) => median(list.map((r) => r[field]));
    const answer = m('answer');
    const durable = m('durable');
    const vsCeiling = ceilingBase ? `${(answer / ceilingBase).toFixed(2)}x` : '';
    console.log(
      `| ${name} | ok | ${answer.toFixed(0)} | ${(answer / peerBase('answer')).toFixed(2)}x | ${vsCeiling} | ${durable.toFixed(0)} | ${(durable / peerBase('durable')).toFixed(2)}x | ${m('user').toFixed(2)}+${m('system').toFixed(2)} | ${Math.max(...list.map((r) => r.rss)).toFixed(0)} |`,
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
  console.log(`load average at start: ${load()} (1, 5, 15 min; ratios within a run count)`);
  try {
    for (const make of scenarios) {
      const scenario = make();
      const results = Object.fromEntries(contestants.map((c) => [c, []]));
      for (let round = 0; round < rounds; round++) {
        const order = contestants.map((_, i) => contestants[(i + round) % contestants.length]);
        for (const name of order) {
          results[name].push(await retried(() => trial(request, name, scenario, root)));
        }
      }
      report(scenario, contestants, results, rounds);
      console.log(`\nload average: ${load()}`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
