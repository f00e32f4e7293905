// The API reference page is written by hand beside the types. This keeps it honest: every
// name each built entry point exports is documented there (values as `### \`name\``
// headings, types as `| \`Name\` |` table rows), and the page names nothing that is not
// exported.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const require = createRequire(import.meta.url);
const page = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'content/docs/reference/api.mdx'),
  'utf8',
);

const ENTRY_POINTS = [
  '@updown/core',
  '@updown/core/rules',
  '@updown/core/bindings',
  '@updown/react',
  '@updown/react/query',
  '@updown/solid',
  '@updown/server-adapters',
  '@updown/server-adapters/express',
  '@updown/server-adapters/fastify',
  '@updown/server-adapters/koa',
  '@updown/server-adapters/fetch',
  '@updown/server-adapters/hono',
  '@updown/server-adapters/next',
] as const;

const IDENT = '[A-Za-z_$][\\w$]*';

/** The page's sections by entry point, each with the values and types it documents. */
function documented(): Map<string, { values: string[]; types: string[] }> {
  const sections = new Map<string, { values: string[]; types: string[] }>();
  let current: { values: string[]; types: string[] } | undefined;
  for (const line of page.split('\n')) {
    const section = /^## `([^`]+)`\s*$/.exec(line);
    if (section?.[1]) {
      current = { values: [], types: [] };
      sections.set(section[1], current);
      continue;
    }
    if (!current) continue;
    const value = new RegExp(`^### \`(${IDENT})\`\\s*$`).exec(line);
    if (value?.[1]) current.values.push(value[1]);
    const type = new RegExp(`^\\| \`(${IDENT})\` \\|`).exec(line);
    if (type?.[1]) current.types.push(type[1]);
  }
  return sections;
}

/** Every name a built entry point's declaration file exports, values and types. */
function declaredNames(specifier: string): string[] {
  const dts = readFileSync(require.resolve(specifier).replace(/\.c?js$/, '.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of dts.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) {
    for (const raw of (match[1] ?? '').split(',')) {
      const part = raw.trim().replace(/^type\s+/, '');
      if (!part) continue;
      const alias = / as (\S+)$/.exec(part);
      names.add(alias?.[1] ?? part);
    }
  }
  return [...names];
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
const sections = documented();

test('the page has one section per entry point, and no other', () => {
  expect(sorted(sections.keys())).toEqual(sorted(ENTRY_POINTS));
});

describe.each(ENTRY_POINTS)('%s', (specifier) => {
  test('every exported value has its heading, and every heading is an exported value', async () => {
    const values = Object.keys(await import(specifier));
    expect(values.length).toBeGreaterThan(0);
    expect(sorted(sections.get(specifier)?.values ?? [])).toEqual(sorted(values));
  });

  test('every exported type is in the table, and every row is an exported type', async () => {
    const values = new Set(Object.keys(await import(specifier)));
    const types = declaredNames(specifier).filter((name) => !values.has(name));
    expect(types.length).toBeGreaterThan(0);
    expect(sorted(sections.get(specifier)?.types ?? [])).toEqual(sorted(types));
  });

  test('each name is documented once', () => {
    const section = sections.get(specifier);
    const all = [...(section?.values ?? []), ...(section?.types ?? [])];
    expect(all.length).toBe(new Set(all).size);
  });
});
