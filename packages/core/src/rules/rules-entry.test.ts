// A server-only TypeScript project (no DOM lib, no ambient types, library checking on) must
// compile against the built `@updown/core/rules`. Reads `dist/`, which the build task makes
// before tests run; it builds nothing itself.
import {
  existsSync,
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
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const rulesTypes = join(packageDir, 'dist/rules.d.ts');
const scratch = mkdtempSync(join(tmpdir(), 'updown-rules-entry-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The names the built entry exports, from its declaration file's export list. */
function exportedNames(): { values: string[]; types: string[] } {
  const dts = readFileSync(rulesTypes, 'utf8');
  const values: string[] = [];
  const types: string[] = [];
  for (const match of dts.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const raw of (match[1] ?? '').split(',')) {
      const part = raw.trim();
      if (!part) continue;
      const name = (/ as (\S+)$/.exec(part)?.[1] ?? part).replace(/^type\s+/, '');
      (part.startsWith('type ') ? types : values).push(name);
    }
  }
  return { values, types };
}

const USE = `
const rules = defineRules({ accept: ['image/*', '.pdf'], maxSize: 1024, validate: (file) => (file.name ? undefined : 'named') });
const upload: FileLike = { name: 'a.png', size: 10, type: 'image/png' };
const errors: RejectionError[] = checkFile(upload, rules);
const verdict: Promise<Selection<FileLike>> = selectFiles([upload], rules);
const rejection: FileRejection = { file: upload, errors };
export { errors, verdict, rejection };
`;

/** Compiles a project that imports every name of `specifier`; returns its diagnostics. */
function compile(project: string, specifier: string): string[] {
  const { values, types } = exportedNames();
  const imports = [...values, ...types.map((name) => `type ${name}`)].join(', ');
  const body = `import { ${imports} } from '${specifier}';\nexport const every = [${values.join(', ')}];\n${USE}`;
  // The same file as ESM (the `import` condition, `.d.ts`) and as CommonJS (`require`, `.d.cts`).
  writeFileSync(join(project, 'server.mts'), body);
  writeFileSync(join(project, 'server.cts'), body);
  const options: ts.CompilerOptions = {
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: false,
    strict: true,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  };
  const program = ts.createProgram(
    [join(project, 'server.mts'), join(project, 'server.cts')],
    options,
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function projectWith(name: string, linkTo: string): string {
  const project = join(scratch, name);
  mkdirSync(join(project, 'node_modules/@updown'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }');
  symlinkSync(linkTo, join(project, 'node_modules/@updown/core'), 'dir');
  return project;
}

describe('@updown/core/rules in a server-only TypeScript project', () => {
  it('is built (run the build first)', () => {
    expect(existsSync(rulesTypes)).toBe(true);
  });

  it('compiles with lib ES2022, no DOM and no ambient types, declarations checked', () => {
    expect(exportedNames().values.length).toBeGreaterThan(5);
    expect(compile(projectWith('clean', packageDir), '@updown/core/rules')).toEqual([]);
  });

  it('would fail if the entry leaked a DOM type', () => {
    // The same package, its rules declarations given one function that takes a `File`.
    const leaky = join(scratch, 'leaky-core');
    mkdirSync(join(leaky, 'dist'), { recursive: true });
    writeFileSync(join(leaky, 'package.json'), readFileSync(join(packageDir, 'package.json')));
    for (const file of ['rules.d.ts', 'rules.d.cts']) {
      const dts = readFileSync(join(packageDir, 'dist', file), 'utf8');
      writeFileSync(
        join(leaky, 'dist', file),
        `${dts}\nexport declare function leak(file: File): Blob;\n`,
      );
    }
    const errors = compile(projectWith('leaky', leaky), '@updown/core/rules');
    expect(errors).toContain("Cannot find name 'File'.");
    expect(errors).toContain("Cannot find name 'Blob'.");
  });
});
