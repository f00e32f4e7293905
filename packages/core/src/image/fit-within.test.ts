import { describe, expect, it } from 'vitest';
import { fitWithin } from './fit-within';

describe('fitWithin', () => {
  it.each([
    [{ width: 4000, height: 3000 }, 200, 200, { width: 200, height: 150 }],
    [{ width: 3000, height: 4000 }, 200, 200, { width: 150, height: 200 }],
    [{ width: 4000, height: 3000 }, 1000, 2000, { width: 1000, height: 750 }],
    [{ width: 100, height: 50 }, 200, 200, { width: 100, height: 50 }],
    [{ width: 10000, height: 1 }, 100, 100, { width: 100, height: 1 }],
  ])('%j in %d x %d -> %j', (size, w, h, expected) => {
    expect(fitWithin(size, w, h)).toEqual(expected);
  });
});
