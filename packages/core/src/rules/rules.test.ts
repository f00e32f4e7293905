import { describe, expect, it, vi } from 'vitest';
import { formatBytes } from './format-bytes';
import { checkFile, checkSize, defineRules, type Rules, selectFiles, validateFile } from './rules';

const f = (name: string, size: number, type = '') => ({ name, size, type });

describe('defineRules', () => {
  it('returns the very same object', () => {
    const rules = { maxSize: 10 };
    expect(defineRules(rules)).toBe(rules);
  });
});

describe('size rules', () => {
  it.each([
    [{ maxSize: 100 }, 100, null],
    [{ maxSize: 100 }, 101, 'file-too-large'],
    [{ minSize: 10 }, 10, null],
    [{ minSize: 10 }, 9, 'file-too-small'],
    [{ minSize: 1 }, 0, 'file-too-small'],
    [{ maxSize: 0 }, 0, null],
    [{ maxSize: 0 }, 1, 'file-too-large'],
    [{}, Number.MAX_SAFE_INTEGER, null],
  ])('%j, size %d -> %s', (rules, size, code) => {
    const [ok, error] = checkSize({ size }, rules);
    expect(ok).toBe(code === null);
    expect(error?.code ?? null).toBe(code);
  });

  it('says the limit in human units', () => {
    expect(checkSize({ size: 2 * 1024 * 1024 }, { maxSize: 1024 * 1024 })[1]?.message).toBe(
      'File is larger than 1 MiB',
    );
  });

  it('formats bytes', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024 * 1024, 5 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1 KiB',
      '1.5 KiB',
      '10 MiB',
      '5 TiB',
    ]);
    // 1024-based, and labelled so: not "76 MB" for eighty million bytes.
    expect(formatBytes(80_000_000)).toBe('76 MiB');
  });
});

describe('checkFile', () => {
  it('reports every failing rule', () => {
    const errors = checkFile(f('a.exe', 500, 'application/x-msdownload'), {
      accept: 'image/*',
      maxSize: 100,
    });
    expect(errors.map((e) => e.code)).toEqual(['file-invalid-type', 'file-too-large']);
  });

  it('is empty when the file passes', () => {
    expect(checkFile(f('a.png', 5, 'image/png'), { accept: 'image/*', maxSize: 100 })).toEqual([]);
  });
});

describe('validateFile: custom validate', () => {
  const run = (validate: Rules['validate']) => validateFile(f('a.txt', 5), { validate });

  it.each([
    ['undefined', () => undefined, []],
    ['null', () => null, []],
    ['a string', () => 'Not today', [{ code: 'validation-failed', message: 'Not today' }]],
    [
      'an object',
      () => ({ code: 'name-taken', message: 'Taken' }),
      [{ code: 'name-taken', message: 'Taken' }],
    ],
    [
      'an array',
      () => [
        { code: 'a', message: 'A' },
        { code: 'b', message: 'B' },
      ],
      [
        { code: 'a', message: 'A' },
        { code: 'b', message: 'B' },
      ],
    ],
    ['an empty array', () => [], []],
    ['async string', async () => 'Later no', [{ code: 'validation-failed', message: 'Later no' }]],
    ['async object', async () => ({ code: 'x', message: 'X' }), [{ code: 'x', message: 'X' }]],
    ['async nothing', async () => undefined, []],
  ] as [string, Rules['validate'], unknown][])(
    'returning %s',
    async (_label, validate, expected) => {
      expect(await run(validate)).toEqual(expected);
    },
  );

  it('a throwing validate becomes validation-failed with its message', async () => {
    expect(
      await run(() => {
        throw new Error('Server unreachable');
      }),
    ).toEqual([{ code: 'validation-failed', message: 'Server unreachable' }]);
    expect(await run(() => Promise.reject(new Error('')))).toEqual([
      { code: 'validation-failed', message: 'File failed validation' },
    ]);
  });

  it('is not called when a built-in rule already failed', async () => {
    const validate = vi.fn(() => 'never');
    const errors = await validateFile(f('a.txt', 500), { maxSize: 10, validate });
    expect(errors.map((e) => e.code)).toEqual(['file-too-large']);
    expect(validate).not.toHaveBeenCalled();
  });
});

describe('selectFiles', () => {
  it('accepts in order up to maxFiles and refuses the rest as too-many-files', async () => {
    const files = ['a', 'b', 'c', 'd'].map((n) => f(n, 1));
    const { accepted, rejected } = await selectFiles(files, { maxFiles: 2 });
    expect(accepted.map((x) => x.name)).toEqual(['a', 'b']);
    expect(rejected.map((r) => [r.file.name, r.errors.map((e) => e.code)])).toEqual([
      ['c', ['too-many-files']],
      ['d', ['too-many-files']],
    ]);
    expect(rejected[0]?.errors[0]?.message).toBe('No more than 2 files allowed');
  });

  it('invalid files take no place; already held ones do', async () => {
    const files = [f('big', 100), f('a', 1), f('b', 1), f('c', 1)];
    const { accepted, rejected } = await selectFiles(files, { maxFiles: 3, maxSize: 10 }, 1);
    expect(accepted.map((x) => x.name)).toEqual(['a', 'b']);
    expect(rejected.map((r) => [r.file.name, r.errors[0]?.code])).toEqual([
      ['big', 'file-too-large'],
      ['c', 'too-many-files'],
    ]);
  });

  it('with no room left refuses every valid file', async () => {
    const { accepted, rejected } = await selectFiles([f('a', 1)], { maxFiles: 1 }, 1);
    expect(accepted).toEqual([]);
    expect(rejected[0]?.errors[0]?.message).toBe('No more than 1 file allowed');
  });

  it('waits for async validators, keeping the order of the input', async () => {
    const validate = (file: { name: string }) =>
      new Promise<string | undefined>((resolve) =>
        setTimeout(
          () => resolve(file.name === 'bad' ? 'bad file' : undefined),
          file.name === 'a' ? 20 : 1,
        ),
      );
    const { accepted, rejected } = await selectFiles([f('a', 1), f('bad', 1), f('c', 1)], {
      validate,
      maxFiles: 5,
    });
    expect(accepted.map((x) => x.name)).toEqual(['a', 'c']);
    expect(rejected.map((r) => r.file.name)).toEqual(['bad']);
  });

  it('takes any iterable', async () => {
    const set = new Set([f('a', 1), f('b', 1)]);
    expect((await selectFiles(set, {})).accepted).toHaveLength(2);
  });
});
