// tus server throughput: one file uploaded in PATCH chunks over loopback to our tus handler
// (node:http, diskStorage) and to @tus/server with @tus/file-store, the same client, file and
// chunk size for both, each server alone in its own child process.
//
//   node bench/run.mjs tus                                 128 MiB in 8 MiB chunks, 5 rounds
//   BENCH_TUS_MIB=256 BENCH_TUS_CHUNK_MIB=4 BENCH_ROUNDS=5 node bench/run.mjs tus
//
// Our handler is bundled once from the sources with esbuild (so it measures the code as it is,
// not a stale dist). Each server is warmed by one small upload before the measured one (its
// code compiled, as in production), and the two take turns going first. Both servers write without fsync (@tus/file-store never syncs); ours also
// hashes every byte (SHA-256, kept with the file), which @tus/server does not. Each trial
// checks the stored bytes (SHA-256 of the file each server left); one that lost bytes is
// reported as failed.
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listenOnLoopback, median, sha256OfFile, stopChild, storedFiles } from './lib.mjs';
import { bundleUpdown } from './updown-bundle.mjs';

const here = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;

async function serve(kind, directory, bundle) {
  let handle;
  if (kind === 'updown') {
    const { createTusHandler, diskStorage } = await import(pathToFileURL(bundle).href);
    const tus = createTusHandler(diskStorage({ directory, fsync: false }), {
      limits: { fileSize: 64 * 1024 * MiB },
    });
    // Mounted at /files/tus, as the handler is under an adapter at /files.
    handle = (req, res) => {
      const path = req.url.startsWith('/files/') ? req.url.slice('/files'.length) : '/';
      tus.handle(req, res, { path, basePath: '/files', framework: null }).then((handled) => {
        if (!handled) {
          res.statusCode = 404;
          res.end();
        }
      });
    };
  } else {
    const { Server } = await import('@tus/server');
    const { FileStore } = await import('@tus/file-store');
    const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
    handle = (req, res) => void tus.handle(req, res);
  }
  const server = createServer(handle);
  process.send({
    port: await listenOnLoopback(server),
    endpoint: kind === 'updown' ? '/files/tus' : '/files',
  });
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const size = Number(process.env.BENCH_TUS_MIB ?? 128) * MiB;
  const chunk = Number(process.env.BENCH_TUS_CHUNK_MIB ?? 8) * MiB;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const work = await mkdtemp(join(tmpdir(), 'updown-tus-bench-'));
  const source = join(work, 'source.bin');
  const sourceBytes = randomBytes(size);
  const expected = createHash('sha256').update(sourceBytes).digest('hex');
  await writeFile(source, sourceBytes);
  const bundle = await bundleUpdown(join(work, 'updown.mjs'));

  async function upload(port, endpoint, size, chunk) {
    const origin = `http://127.0.0.1:${port}`;
    const headers = { 'Tus-Resumable': '1.0.0' };
    const started = performance.now();
    const created = await fetch(origin + endpoint, {
      method: 'POST',
      headers: {
        ...headers,
        'Upload-Length': String(size),
        'Upload-Metadata': `filename ${btoa('bench.bin')}`,
      },
    });
    if (created.status !== 201) throw new Error(`creation: ${created.status}`);
    const url = new URL(created.headers.get('location'), origin).href;
    for (let offset = 0; offset < size; offset += chunk) {
      const end = Math.min(size, offset + chunk);
      const res = await fetch(url, {
        method: 'PATCH',
        headers: {
          ...headers,
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(end - offset),
          'Upload-Offset': String(offset),
        },
        body: createReadStream(source, { start: offset, end: end - 1, highWaterMark: MiB }),
        duplex: 'half',
      });
      await res.arrayBuffer();
      if (res.status !== 204 || Number(res.headers.get('upload-offset')) !== end) {
        throw new Error(`PATCH at ${offset}: ${res.status}`);
      }
    }
    return size / MiB / ((performance.now() - started) / 1000);
  }

  async function trial(kind) {
    const directory = await mkdtemp(join(work, `${kind}-`));
    const child = fork(here, ['--serve', kind, directory, bundle], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const { port, endpoint } = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
      });
      // The warm-up's file is removed before the measured upload, its working folders kept.
      await upload(port, endpoint, MiB, MiB);
      const warm = await readdir(directory);
      await Promise.all(
        warm
          .filter((e) => e !== '.partial')
          .map((e) => rm(join(directory, e), { recursive: true })),
      );
      const speed = await upload(port, endpoint, size, chunk);
      const stored = await Promise.all((await storedFiles(directory)).map(sha256OfFile));
      return { speed, ok: stored.length === 1 && stored[0] === expected };
    } finally {
      await stopChild(child);
      await rm(directory, { recursive: true, force: true });
    }
  }

  const results = { updown: [], '@tus/server': [] };
  console.log(
    `load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['updown', 'tus'] : ['tus', 'updown'];
      for (const kind of order) {
        results[kind === 'tus' ? '@tus/server' : kind].push(await trial(kind));
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(
    `\n### one ${size / MiB} MiB file in ${chunk / MiB} MiB PATCHes, median of ${rounds} rounds\n`,
  );
  console.log('| server | bytes | MiB/s | rounds | vs @tus/server |');
  console.log('| --- | --- | ---: | --- | ---: |');
  const speeds = (list) => list.map((r) => r.speed);
  const peer = median(speeds(results['@tus/server']));
  for (const [name, list] of Object.entries(results)) {
    if (list.some((r) => !r.ok)) {
      console.log(
        `| ${name} | FAILED (${list.filter((r) => !r.ok).length} of ${list.length} rounds stored other bytes) | | | |`,
      );
      continue;
    }
    const speed = median(speeds(list));
    console.log(
      `| ${name} | ok | ${speed.toFixed(1)} | ${speeds(list)
        .map((v) => v.toFixed(0))
        .join(', ')} | ${(speed / peer).toFixed(2)}x |`,
    );
  }
  console.log(
    `\nload average at end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
}
