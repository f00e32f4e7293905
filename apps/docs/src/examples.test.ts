// Every code sample under src/examples, as an outside project would use it: copied into a
// scratch project that depends on the packed tarballs, type-checked with `skipLibCheck:
// false` (a server-only config without DOM types, a React one, a Solid one), and each server
// sample started, sent one upload with fetch, and stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  repoRoot,
  type ScratchProject,
  scratchProject,
  typeCheck,
} from './test-support/scratch-project';

const examplesDir = join(import.meta.dirname, 'examples');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const examples = walk(examplesDir).map((path) => relative(examplesDir, path));
const common = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  esModuleInterop: true,
};
/** Which config checks which folder: a folder missing here fails the first test. */
const CONFIGS = {
  'tsconfig.server.json': {
    folders: ['server', 'shared'],
    // A Node server: no DOM, so `@updown/core/rules` must compile without it.
    options: { lib: ['ES2022'], types: ['node'] },
  },
  'tsconfig.hono.json': {
    folders: ['hono', 'shared'],
    // Hono's own declarations name DOM event types (its WebSocket helper), so a Hono project
    // keeps TypeScript's default DOM lib beside Node's types.
    options: { lib: ['ES2022', 'DOM'], types: ['node'] },
  },
  'tsconfig.json': {
    folders: ['core', 'react', 'shared'],
    options: { lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], jsx: 'react-jsx' },
  },
  'tsconfig.solid.json': {
    folders: ['solid', 'shared'],
    options: {
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: [],
      jsx: 'preserve',
      jsxImportSource: 'solid-js',
    },
  },
} as const;

/**
 * Not a docs sample: the fetch sample with the default storage, `diskStorage` in
 * `./uploads`, which Bun and Deno run through their `node:fs`.
 */
const FETCH_ON_DISK = 'runtimes/fetch-on-disk.ts';
const FETCH_ON_DISK_SOURCE = `import { updown } from '@updown/server-adapters/fetch';
export default { fetch: updown({ prefix: '/api/files' }) };
`;

let project: ScratchProject;

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const path of examples) files[`src/${path}`] = readFileSync(join(examplesDir, path), 'utf8');
  files[`src/${FETCH_ON_DISK}`] = FETCH_ON_DISK_SOURCE;
  for (const [name, { folders, options }] of Object.entries(CONFIGS)) {
    files[name] = JSON.stringify({
      compilerOptions: { ...common, ...options },
      include: folders.map((folder) => `src/${folder}/**/*`),
    });
  }
  project = await scratchProject(
    [
      'react',
      'react-dom',
      'solid-js',
      '@tanstack/react-query',
      'express',
      'fastify',
      'koa',
      'hono',
      '@hono/node-server',
      '@types/node',
      '@types/react',
      '@types/react-dom',
      '@types/express',
      '@types/koa',
    ],
    files,
  );
}, 60_000);

afterAll(() => project?.remove());

test('every example folder is checked by one of the configs', () => {
  const folders = new Set(examples.map((path) => path.split('/')[0]));
  const checked = new Set(Object.values(CONFIGS).flatMap(({ folders }) => folders));
  expect([...folders].filter((folder) => !checked.has(folder as never))).toEqual([]);
});

test.each(Object.keys(CONFIGS))('the examples type-check with %s', async (config) => {
  const { ok, output } = await typeCheck(project, config);
  expect(output).toBe('');
  expect(ok).toBe(true);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Started {
  base: string;
  /** The folder the sample runs in (its `./uploads`). */
  cwd: string;
  stop(): Promise<void>;
}

/** Where a sample runs: Node, or Bun or Deno from the project's own `bun`/`deno` packages. */
type Runtime = 'node' | 'bun' | 'deno';
const binOf = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

/**
 * The command that serves `script` on `port`. Bun and Deno serve a module's default export
 * `{ fetch }` themselves (`bun run` on `PORT`, `deno serve --port`), as the fetch page says.
 */
function command(runtime: Runtime, script: string, port: number): [string, string[]] {
  if (runtime === 'bun') return [binOf('bun'), ['run', script]];
  if (runtime === 'deno') {
    return [binOf('deno'), ['serve', '--allow-all', '--port', String(port), script]];
  }
  return [process.execPath, [script]];
}

async function start(example: string, runtime: Runtime = 'node'): Promise<Started> {
  const out = join(project.dir, '.run', example.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(project.dir, 'src', example)],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  const port = await freePort();
  const cwd = mkdtempSync(join(project.dir, 'run-'));
  const [bin, args] = command(runtime, out, port);
  const child: ChildProcess = spawn(bin, args, {
    cwd,
    // Deno reads the scratch project's package.json for its npm packages (node_modules).
    env: { ...process.env, PORT: String(port), DENO_NO_UPDATE_CHECK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const base = `http://localhost:${port}`;
  const end = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${example} exited (${child.exitCode}): ${log}`);
    try {
      await (await fetch(base)).body?.cancel();
      break;
    } catch {
      if (Date.now() > end) throw new Error(`${example} did not listen in 15 s: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    base,
    cwd,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function upload(url: string, file: File, headers: Record<string, string> = {}) {
  const body = new FormData();
  body.append('file', file);
  return fetch(url, { method: 'POST', body, headers });
}

const notes = () =>
  new File(['# notes\n\nfrom the examples test\n'], 'notes.md', { type: 'text/markdown' });
// A 1×1 PNG: the avatar mount takes images only.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function expectStored(answer: Response, name: string): Promise<void> {
  expect(answer.status).toBe(201);
  const body = (await answer.json()) as { files: { name: string; url: string }[] };
  expect(body.files.map((file) => file.name)).toEqual([name]);
}

const servers = examples.filter(
  (path) =>
    /^(server|hono)\//.test(path) &&
    /\.listen\(|\bserve\(/.test(readFileSync(join(examplesDir, path), 'utf8')),
);

test('every server example is run below', () => {
  expect(servers.sort()).toEqual(
    [
      'server/cors.ts',
      'server/express.ts',
      'server/fastify.ts',
      'hono/server.ts',
      'server/koa.ts',
      'server/node-http.ts',
      'server/security.ts',
    ].sort(),
  );
});

describe('the server examples take an upload', () => {
  test.each(['server/express.ts', 'server/fastify.ts', 'server/koa.ts'])('%s', async (example) => {
    const server = await start(example);
    try {
      await expectStored(await upload(`${server.base}/api/files/upload`, notes()), 'notes.md');
      const refused = await upload(
        `${server.base}/api/files/upload`,
        new File(['MZ'], 'program.exe', { type: 'application/octet-stream' }),
      );
      expect(refused.status).toBe(415); // the shared rules, judged again on the server
      if (example === 'server/express.ts') {
        const avatar = new File([PNG], 'me.png', { type: 'image/png' });
        await expectStored(await upload(`${server.base}/api/avatars/upload`, avatar), 'me.png');
      }
    } finally {
      await server.stop();
    }
  });

  test('server/node-http.ts', async () => {
    const server = await start('server/node-http.ts');
    try {
      await expectStored(await upload(`${server.base}/files/upload`, notes()), 'notes.md');
    } finally {
      await server.stop();
    }
  });

  test('hono/server.ts', async () => {
    const server = await start('hono/server.ts');
    try {
      const anonymous = await upload(`${server.base}/api/files/upload`, notes());
      expect(anonymous.status).toBe(401);
      await expectStored(
        await upload(`${server.base}/api/files/upload`, notes(), { 'x-user': 'ada' }),
        'notes.md',
      );
    } finally {
      await server.stop();
    }
  });

  test('server/security.ts', async () => {
    const server = await start('server/security.ts');
    try {
      const anonymous = await upload(`${server.base}/api/files/upload`, notes());
      expect(anonymous.status).toBe(401);
      await expectStored(
        await upload(`${server.base}/api/files/upload`, notes(), { 'x-user': 'ada' }),
        'notes.md',
      );
    } finally {
      await server.stop();
    }
  });

  test('server/cors.ts', async () => {
    const server = await start('server/cors.ts');
    const origin = 'http://localhost:5173';
    try {
      const preflight = await fetch(`${server.base}/api/files/tus`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'tus-resumable, upload-offset, content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Upload-Offset');

      const answer = await upload(`${server.base}/api/files/upload`, notes(), { origin });
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
      await expectStored(answer, 'notes.md');

      const created = await fetch(`${server.base}/api/files/tus`, {
        method: 'POST',
        headers: {
          origin,
          'tus-resumable': '1.0.0',
          'upload-length': '8',
          // The rules judge a tus upload by its declared name and type.
          'upload-metadata': `filename ${btoa('notes.md')},filetype ${btoa('text/markdown')}`,
        },
      });
      expect(created.status).toBe(201);
      const exposed = created.headers.get('access-control-expose-headers') ?? '';
      for (const name of ['Location', 'Upload-Offset']) expect(exposed).toContain(name);
      await created.body?.cancel();
    } finally {
      await server.stop();
    }
  });
});

/** The contract's main paths through one fetch server: multipart, Range, ETag, tus, delete. */
async function exerciseContract(base: string): Promise<void> {
  const api = `${base}/api/files`;
  const text = 'the quick brown fox jumps over the lazy dog\n';
  const stored = await upload(
    `${api}/upload`,
    new File([text], 'fox.md', { type: 'text/markdown' }),
  );
  expect(stored.status).toBe(201);
  const [file] = ((await stored.json()) as { files: { url: string; size: number }[] }).files;
  expect(file?.size).toBe(text.length);
  const url = new URL(file?.url ?? '', base).href;

  const ranged = await fetch(url, { headers: { range: 'bytes=4-8' } });
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get('content-range')).toBe(`bytes 4-8/${text.length}`);
  expect(await ranged.text()).toBe('quick');
  const head = await fetch(url, { method: 'HEAD' });
  expect(head.headers.get('etag')).toMatch(/^"/);
  const unchanged = await fetch(url, {
    headers: { 'if-none-match': head.headers.get('etag') ?? '' },
  });
  expect(unchanged.status).toBe(304);

  const bytes = new TextEncoder().encode('# resumed\n\nin two PATCHes\n');
  const created = await fetch(`${api}/tus`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': `filename ${btoa('resumed.md')},filetype ${btoa('text/markdown')}`,
    },
  });
  expect(created.status).toBe(201);
  const location = new URL(created.headers.get('location') ?? '', base).href;
  for (const [offset, end] of [
    [0, 10],
    [10, bytes.length],
  ] as const) {
    const patched = await fetch(location, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes.slice(offset, end),
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('upload-offset')).toBe(String(end));
  }
  const offset = await fetch(location, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
  expect(offset.headers.get('upload-offset')).toBe(String(bytes.length));

  // Deleting needs an `authorize` that allows it; these samples have none.
  expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);
  expect((await fetch(url)).status).toBe(200);
}

// Bun and Deno are the npm packages `bun` and `deno` (their binaries come from the registry),
// so these run wherever the tests do.
describe.each(['bun', 'deno'] as const)('the fetch entry on %s', (runtime) => {
  test('server/fetch.ts (memory storage) serves the contract', async () => {
    const server = await start('server/fetch.ts', runtime);
    try {
      await expectStored(await upload(`${server.base}/api/files/upload`, notes()), 'notes.md');
      const refused = await upload(
        `${server.base}/api/files/upload`,
        new File(['MZ'], 'program.exe', { type: 'application/octet-stream' }),
      );
      expect(refused.status).toBe(415);
      await exerciseContract(server.base);
    } finally {
      await server.stop();
    }
  });

  test('disk storage through node:fs, and a client that leaves mid-upload leaves nothing', async () => {
    const server = await start(FETCH_ON_DISK, runtime);
    try {
      await exerciseContract(server.base);
      const uploads = join(server.cwd, 'uploads');
      const stored = () => readdirSync(uploads).filter((name) => !name.startsWith('.'));
      const before = stored();

      const leaving = new AbortController();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const boundary =
            '--x\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n';
          controller.enqueue(
            new TextEncoder().encode(`${boundary}Content-Type: application/octet-stream\r\n\r\n`),
          );
          controller.enqueue(new Uint8Array(256 * 1024));
          // The body never ends: the client leaves with the file half sent.
          setTimeout(() => leaving.abort(), 300);
        },
      });
      await expect(
        fetch(`${server.base}/api/files/upload`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body,
          signal: leaving.signal,
          duplex: 'half',
        } as RequestInit),
      ).rejects.toThrow();
      const partials = join(uploads, '.partial');
      const end = Date.now() + 10_000;
      while (readdirSync(partials).length > 0 && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(readdirSync(partials)).toEqual([]);
      expect(stored()).toEqual(before);
    } finally {
      await server.stop();
    }
  });
});
