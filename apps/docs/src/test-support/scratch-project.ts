// A project outside the monorepo, as a user has one: the packages come from their packed
// tarballs (`npm pack` of the built packages, unpacked into node_modules), everything else
// from the repository's root node_modules through symlinks, so nothing is downloaded. Only
// what the project and the packed packages declare is linked: a dependency a package forgot
// to declare is missing here too.
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const rootModules = join(repoRoot, 'node_modules');
const PACKAGES = ['core', 'react', 'solid', 'server-adapters'] as const;

export interface ScratchProject {
  dir: string;
  remove(): void;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

function linkFromRoot(modules: string, name: string): void {
  const target = join(modules, name);
  mkdirSync(dirname(target), { recursive: true });
  try {
    symlinkSync(join(rootModules, name), target, 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Packs the already-built packages, unpacks them into a fresh project with `dependencies`
 * (names only: the root's installed versions are linked), and writes `files` into it.
 */
export async function scratchProject(
  dependencies: readonly string[],
  files: Record<string, string>,
): Promise<ScratchProject> {
  const dir = mkdtempSync(join(tmpdir(), 'updown-scratch-'));
  const packs = join(dir, '.packs');
  mkdirSync(packs);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', packs, ...PACKAGES.map((p) => `-w=@updown/${p}`)],
    { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
  );
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  const modules = join(dir, 'node_modules');
  const wanted = new Set(dependencies);
  for (const { filename } of packed) {
    const tarball = join(packs, filename.replace(/^@updown\//, 'updown-'));
    const unpacked = join(dir, '.unpacked', filename);
    mkdirSync(unpacked, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Manifest;
    mkdirSync(join(modules, '@updown'), { recursive: true });
    cpSync(unpacked, join(modules, manifest.name), { recursive: true });
    for (const name of Object.keys(manifest.dependencies ?? {})) wanted.add(name);
  }
  for (const name of wanted) if (!name.startsWith('@updown/')) linkFromRoot(modules, name);
  rmSync(join(dir, '.unpacked'), { recursive: true, force: true });

  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2),
  );
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The repository's TypeScript on one of the project's configs; resolves with its output. */
export async function typeCheck(
  project: ScratchProject,
  config: string,
): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [join(rootModules, 'typescript/bin/tsc'), '-p', config], {
      cwd: project.dir,
    });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}
