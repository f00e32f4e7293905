import { describe, expect, it } from 'vitest';
import { chooseAnyRange, chooseOneRange, chooseRange } from './byte-range';

describe('chooseRange on a 10-byte file', () => {
  it.each([
    ['bytes=0-4', { kind: 'partial', range: { start: 0, end: 4 } }],
    ['bytes=5-', { kind: 'partial', range: { start: 5, end: 9 } }],
    ['bytes=-3', { kind: 'partial', range: { start: 7, end: 9 } }],
    ['bytes=-10', { kind: 'partial', range: { start: 0, end: 9 } }],
    ['bytes=-999999', { kind: 'partial', range: { start: 0, end: 9 } }],
    ['bytes=8-999999', { kind: 'partial', range: { start: 8, end: 9 } }],
    ['BYTES = 1-2', { kind: 'partial', range: { start: 1, end: 2 } }],
    ['bytes=0-1,,1-3', { kind: 'partial', range: { start: 0, end: 3 } }],
    ['bytes=0-1, 50-60', { kind: 'partial', range: { start: 0, end: 1 } }],
    ['bytes=0-1,5-6', { kind: 'full' }],
    ['bytes=5-2', { kind: 'full' }],
    ['bytes=0-1,5-2', { kind: 'full' }],
    ['bytes=abc', { kind: 'full' }],
    ['bytes=1-2;x', { kind: 'full' }],
    ['bytes=', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes 0-1', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
    ['bytes=10-', { kind: 'unsatisfiable' }],
    ['bytes=10-20', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=99999999999999999999-', { kind: 'unsatisfiable' }],
  ])('%s', (header, choice) => {
    expect(chooseRange(header, 10)).toEqual(choice);
  });

  it('finds no first position in an empty file, but serves it whole for a non-zero suffix (RFC 9110 14.1.1)', () => {
    expect(chooseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(chooseRange('bytes=-0', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(chooseRange('bytes=0-0,-0', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(chooseRange('bytes=-5', 0)).toEqual({ kind: 'full' });
    expect(chooseRange('bytes=-010', 0)).toEqual({ kind: 'full' });
    expect(chooseRange('bytes=0-, -1', 0)).toEqual({ kind: 'full' });
  });
});

describe('the one-range fast path', () => {
  const sizes = [0, 1, 2, 10, 1000, 2 ** 40];
  const numbers = ['0', '00', '1', '9', '10', '11', '999', '1000', '1001', '0999', `${2 ** 40}`];
  const headers = [
    ...numbers.flatMap((first) => [
      `bytes=${first}-`,
      ...numbers.map((last) => `bytes=${first}-${last}`),
    ]),
    'bytes=999999999999999-',
    'bytes=1-999999999999999',
  ];

  it.each(sizes)('answers as the general path on a file of %d bytes', (size) => {
    for (const header of headers) {
      expect(chooseOneRange(header, size), header).toEqual(chooseAnyRange(header, size));
    }
  });

  it.each([
    'bytes=-5',
    'Bytes=0-1',
    'bytes= 0-1',
    'bytes=0-1,2-3',
    'bytes=0-1 ',
    'bytes=1234567890123456-',
    'bytes=0-1234567890123456',
    'bytes=a-1',
  ])('leaves %s to the general path', (header) => {
    expect(chooseOneRange(header, 10)).toBeUndefined();
  });
});
