// One upload trial against a contestant of upload-servers.mjs, shared by upload.bench.mjs
// (one request) and concurrency.bench.mjs (many at once): multipart bodies made before the
// runs, a fresh warm server, the requests, the time to answer and to durable, the server's
// CPU and peak RSS, and the SHA-256 of every stored file. Not a benchmark itself.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fsyncAll, sha256OfFile, storedFiles } from './lib.mjs';
import { RAW, startServer } from './upload-servers.mjs';

const MiB = 1024 * 1024;
const KiB = 1024;

/** A multipart body for `files` (each a list of buffers), with what a check expects. */
export function multipartScenario(label, files) {
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

/**
 * Sent to every server before its trial: a few small files, and one of 40 MiB that fills many
 * write buffers and crosses a 32 MiB sync, so the large-file path is compiled before the
 * measured request as in a server that has been up a while. With only small files, the
 * first large request paid its own compilation: 60-90 ms of user CPU a 64 MiB upload for
 * updown, 20-50 ms for the ceiling (helper C's profile, 2026-12-02).
 */
const WARM_UP = multipartScenario('warm-up', [
  ...Array.from({ length: 4 }, () => [randomBytes(100 * KiB)]),
  Array.from({ length: 40 }, () => randomBytes(MiB)),
]);

/** Removes what the warm-up stored, leaving the server's working folders. */
async function clear(dir) {
  const entries = await readdir(dir);
  await Promise.all(
    entries.filter((e) => e !== '.partial').map((e) => rm(join(dir, e), { recursive: true })),
  );
}

/** The stored files' SHA-256s against the expected ones (the raw ceilings: the bodies'). */
async function checkBytes(name, dir, bodies) {
  const paths = await storedFiles(dir);
  const hashes = (await Promise.all(paths.map(sha256OfFile))).sort();
  const expected = RAW.has(name)
    ? bodies.map((b) => b.bodyHash).sort()
    : bodies.flatMap((b) => b.fileHashes).sort();
  const ok = hashes.length === expected.length && hashes.every((h, i) => h === expected[i]);
  return { ok, stored: hashes.length, expected: expected.length };
}

/** Jiffies the whole machine spent busy and in all, from /proc/stat (Linux). */
function machineTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The load average (1, 5, 15 min) as text. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/**
 * Folders of trials that stored many files, removed by `removeKept` once a scenario is over
 * rather than after each trial. On ext4 without a journal (this machine's disk) every create
 * steps over each inode of its block group deleted in the last 60-300 s (`recently_deleted()`
 * in fs/ext4/ialloc.c): removing one trial's thousands of files made the next contestant's
 * creates cost ~0.5 ms each instead of ~25 µs, a tax set by whoever ran before it.
 */
const kept = [];
const KEEP_ABOVE_FILES = 100;

/** Removes the folders `trial` kept; call it when no trial is running. */
export async function removeKept() {
  await Promise.all(kept.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  execFileSync('sync');
}

/**
 * A fresh server for contestant `name`, warmed up, then every body of `bodies` sent at the
 * same moment (one connection each), then the checks. Each request's latency is from that
 * common start to its answer; MiB/s are of all the files' bytes over the time to the last
 * answer, and to durable (the last answer, then an fsync of every file the server left).
 */
export async function trial(request, name, bodies, root) {
  const dir = join(root, `${name.replace(/\W+/g, '-')}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const { ask, stop } = startServer(name, dir);
  let storedCount = 0;
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
    const load = loadavg()[0];
    const ticksAtStart = machineTicks();
    const started = process.hrtime.bigint();
    // A request answered with an error, or cut, fails the contestant rather than the run.
    const refused = [];
    const latencies = await Promise.all(
      bodies.map(async (body) => {
        await send(body).catch((error) => refused.push(error.message));
        return Number(process.hrtime.bigint() - started) / 1e6;
      }),
    );
    const answered = process.hrtime.bigint();
    const ticks = machineTicks();
    const paths = await storedFiles(dir);
    storedCount = paths.length;
    await fsyncAll(paths, dir);
    const durable = process.hrtime.bigint();
    const { peakRss, cpu } = await ask('stats');
    const check = await checkBytes(name, dir, bodies);
    const toAnswer = Number(answered - started) / 1e9;
    const toDurable = Number(durable - started) / 1e9;
    const fileBytes = bodies.reduce((n, b) => n + b.fileBytes, 0);
    const gib = fileBytes / (1024 * MiB);
    return {
      ok: check.ok && refused.length === 0,
      stored: `${check.stored}/${check.expected}${refused.length ? `, ${refused.length} requests failed: ${refused[0]}` : ''}`,
      answer: fileBytes / MiB / toAnswer,
      durable: fileBytes / MiB / toDurable,
      latencies,
      user: (cpu.user - cpuAtStart.user) / 1e6 / gib,
      system: (cpu.system - cpuAtStart.system) / 1e6 / gib,
      rss: (peakRss - idleRss) / MiB,
      faults: (cpu.faults - cpuAtStart.faults) / gib,
      gcMajorMs: (cpu.gc.majorMs - cpuAtStart.gc.majorMs) / gib,
      gcMajors: cpu.gc.majors - cpuAtStart.gc.majors,
      gcMinorMs: (cpu.gc.minorMs - cpuAtStart.gc.minorMs) / gib,
      switches: (cpu.switches - cpuAtStart.switches) / gib,
      load,
      // How busy every core was until the last answer (server, client, and the neighbours).
      machineBusy: (ticks.busy - ticksAtStart.busy) / (ticks.total - ticksAtStart.total),
    };
  } finally {
    await stop();
    if (storedCount > KEEP_ABOVE_FILES) kept.push(dir);
    else await rm(dir, { recursive: true, force: true });
    // Flush what this one left dirty (its rm included) before the next one starts.
    execFileSync('sync');
  }
}
