// Intake into an S3 bucket: one file streamed over loopback to each server, which streams it
// on into the same local S3 endpoint (s3rver, see s3-endpoint.mjs). Two pairs, each server
// alone in its own child process, rounds alternating, the same client, file, parts (5 MiB,
// lib-storage's default, which multer-s3 cannot change) and endpoint within a pair:
//   multipart POST  updown (s3Storage, 4 parts in flight)  beside multer + multer-s3 (lib-storage)
//   tus PATCHes     updown's tus routes on s3Storage      beside @tus/server + @tus/s3-store,
//                   one part per PATCH
//
//   node bench/run.mjs s3                       64 MiB, 3 rounds
//   BENCH_S3_MIB=128 BENCH_ROUNDS=5 node bench/run.mjs s3
//
// Ours is bundled from the sources with esbuild, as in tus.bench.mjs, and hashes every byte
// (SHA-256, kept with the file); the peers do not. The endpoint writes every part to this
// machine's disk, so absolute figures say more about it than about the servers: read ratios.
//
// Every client is made with `requestChecksumCalculation: 'WHEN_REQUIRED'`: by default the SDK
// sends a stream body of unknown length (as @tus/s3-store's parts are) aws-chunked with a
// trailing CRC32, which s3rver stores framing and all (1,188 bytes too many per 8 MiB part).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback, median, stopChild } from './lib.mjs';
import { CREDENTIALS, startS3Endpoint } from './s3-endpoint.mjs';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const MiB = 1024 * 1024;
const BUCKET = 'bench';
// lib-storage's default, which multer-s3 cannot change; 4 parts in flight on both sides.
const PART = 5 * MiB;

async function client(endpoint) {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
}

async function updownHandler(s3) {
  const { build } = await import('esbuild');
  // Inside the repository's node_modules, so the bundle's external imports resolve there.
  const out = join(root, 'node_modules', '.cache', `updown-s3-bench-${process.pid}.mjs`);
  await build({
    stdin: {
      contents:
        "export { createUploadHandler, s3Storage } from './packages/server-adapters/src/index.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    alias: { '@updown/core/rules': join(root, 'packages/core/src/rules/index.ts') },
    external: ['file-type', '@aws-sdk/*'],
    // CommonJS dependencies (content-disposition, busboy) require Node modules at run time.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  const { createUploadHandler, s3Storage } = await import(out);
  const handler = createUploadHandler({
    storage: s3Storage({ client: s3, bucket: BUCKET, partSize: PART, queueSize: 4 }),
    limits: { fileSize: 64 * 1024 * MiB },
    onError: (error) => console.error('updown:', error),
  });
  return (req, res) => {
    const path = req.url.startsWith('/files/') ? req.url.slice('/files'.length) : '/';
    handler.handle(req, res, { path, basePath: '/files', framework: null }).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  };
}

async function serve(kind, endpoint) {
  const s3 = await client(endpoint);
  let handle;
  let path = '/files/upload';
  if (kind === 'updown' || kind === 'updown-tus') {
    handle = await updownHandler(s3);
    if (kind === 'updown-tus') path = '/files/tus';
  } else if (kind === 'multer-s3') {
    const { default: express } = await import('express');
    const { default: multer } = await import('multer');
    const { default: multerS3 } = await import('multer-s3');
    const upload = multer({ storage: multerS3({ s3, bucket: BUCKET }) });
    const app = express();
    app.post('/files/upload', upload.single('file'), (req, res) => {
      res.status(201).json({ key: req.file?.key });
    });
    handle = app;
  } else {
    const { Server } = await import('@tus/server');
    const { S3Store } = await import('@tus/s3-store');
    const datastore = new S3Store({
      partSize: PART,
      s3ClientConfig: {
        bucket: BUCKET,
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
      },
    });
    const tus = new Server({ path: '/files', datastore });
    handle = (req, res) => void tus.handle(req, res);
    path = '/files';
  }
  process.send({ port: await listenOnLoopback(createServer(handle)), path });
}

/** A multipart body around the file, streamed, with its exact length. */
function multipartBody(source, size) {
  const boundary = 'bench-boundary-s3';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts() {
    yield head;
    yield* createReadStream(source, { highWaterMark: MiB });
    yield tail;
  }
  return {
    body: Readable.from(parts()),
    length: head.length + size + tail.length,
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function postOnce(origin, path, source, size) {
  const { body, length, type } = multipartBody(source, size);
  const started = performance.now();
  const res = await fetch(origin + path, {
    method: 'POST',
    headers: { 'Content-Type': type, 'Content-Length': String(length) },
    body,
    duplex: 'half',
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`POST: ${res.status}`);
  return size / MiB / ((performance.now() - started) / 1000);
}

async function tusOnce(origin, path, source, size) {
  const headers = { 'Tus-Resumable': '1.0.0' };
  const started = performance.now();
  const created = await fetch(origin + path, {
    method: 'POST',
    headers: {
      ...headers,
      'Upload-Length': String(size),
      'Upload-Metadata': `filename ${btoa('bench.bin')}`,
    },
  });
  if (created.status !== 201) throw new Error(`creation: ${created.status}`);
  const url = new URL(created.headers.get('location'), origin).href;
  for (let offset = 0; offset < size; offset += PART) {
    const end = Math.min(size, offset + PART);
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
    const answer = await res.text();
    if (res.status !== 204 || Number(res.headers.get('upload-offset')) !== end) {
      throw new Error(`PATCH at ${offset}: ${res.status} ${answer}`);
    }
  }
  return size / MiB / ((performance.now() - started) / 1000);
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], process.argv[4]);
} else {
  const size = Number(process.env.BENCH_S3_MIB ?? 64) * MiB;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const work = await mkdtemp(join(tmpdir(), 'updown-s3-bench-'));
  const source = join(work, 'source.bin');
  await writeFile(source, randomBytes(size));

  async function trial(kind) {
    const s3 = await startS3Endpoint(BUCKET);
    const child = fork(here, ['--serve', kind, s3.endpoint], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const { port, path } = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
      });
      const origin = `http://127.0.0.1:${port}`;
      const once = kind.includes('tus') ? tusOnce : postOnce;
      return await once(origin, path, source, size);
    } finally {
      await stopChild(child);
      await s3.stop();
    }
  }

  const pairs = [
    ['multipart POST', 'updown', 'multer-s3'],
    ['tus PATCHes', 'updown-tus', '@tus/s3-store'],
  ];
  console.log(
    `load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  try {
    for (const [title, ours, peer] of pairs) {
      const results = { [ours]: [], [peer]: [] };
      for (let round = 0; round < rounds; round++) {
        results[ours].push(await trial(ours));
        results[peer].push(await trial(peer));
      }
      console.log(
        `\n### ${title}: one ${size / MiB} MiB file into S3 in ${PART / MiB} MiB parts, median of ${rounds} rounds\n`,
      );
      console.log(`| server | MiB/s | rounds | vs ${peer} |`);
      console.log('| --- | ---: | --- | ---: |');
      const base = median(results[peer]);
      for (const [name, list] of Object.entries(results)) {
        const speed = median(list);
        console.log(
          `| ${name} | ${speed.toFixed(1)} | ${list.map((v) => v.toFixed(0)).join(', ')} | ${(speed / base).toFixed(2)}x |`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(
    `\nload average at end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
}
