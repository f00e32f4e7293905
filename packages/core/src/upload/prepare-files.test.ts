import { describe, expect, it } from 'vitest';
import { prepareBatch } from './prepare-files';
import { makeFile } from './test-support/fake-transport';

describe('prepareBatch', () => {
  it('keeps the files and their paths as they are without a step', async () => {
    const a = makeFile('a', 1);
    const b = makeFile('b', 2);
    const batch = await prepareBatch([a, b], ['x/a', undefined], undefined, undefined);
    expect(batch.files).toEqual([a, b]);
    expect(batch.paths.get(a)).toBe('x/a');
    expect(batch.rejected).toEqual([]);
  });

  it('keeps the order and paths of what the step made, a few at a time, and refuses what throws', async () => {
    let running = 0;
    let most = 0;
    const step = async (file: File) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, file.size));
      running -= 1;
      if (file.name === 'bad') throw new Error('cannot read');
      return makeFile(`${file.name}.small`, 1);
    };
    const files = [makeFile('a', 20), makeFile('bad', 1), makeFile('c', 1), makeFile('d', 5)];
    const batch = await prepareBatch(files, ['p/a', 'p/bad', 'p/c', 'p/d'], step, {
      'prepare-failed': '{name}: {message}',
    });
    expect(batch.files.map((f) => f.name)).toEqual(['a.small', 'c.small', 'd.small']);
    expect(batch.files.map((f) => batch.paths.get(f))).toEqual(['p/a', 'p/c', 'p/d']);
    expect(batch.rejected).toEqual([
      { file: files[1], errors: [{ code: 'prepare-failed', message: 'bad: cannot read' }] },
    ]);
    expect(most).toBe(2);
  });
});
