import { describe, expect, it } from 'vitest';
import { type Accept, acceptAttribute, checkType, matchesAccept, parseAccept } from './accept';

const file = (name: string, type: string) => ({ name, type });

// Cases in the spirit of react-dropzone's attr-accept tests: [accept, file, expected].
const cases: [string, Accept | undefined, { name: string; type: string }, boolean][] = [
  ['no accept takes anything', undefined, file('a.exe', 'application/x-msdownload'), true],
  ['empty string takes anything', '', file('a.exe', ''), true],
  ['empty array takes anything', [], file('a.exe', ''), true],
  ['commas and spaces only take anything', ' , ,', file('a.exe', ''), true],
  ['exact MIME type', 'image/png', file('a.png', 'image/png'), true],
  ['exact MIME type, other type', 'image/png', file('a.jpg', 'image/jpeg'), false],
  ['MIME type compared case-insensitively', 'image/png', file('a.png', 'IMAGE/PNG'), true],
  ['accept token case-insensitive', 'Image/PNG', file('a.png', 'image/png'), true],
  ['MIME parameters ignored', 'text/plain', file('a.txt', 'text/plain;charset=utf-8'), true],
  ['wildcard', 'image/*', file('a.gif', 'image/gif'), true],
  ['wildcard, other family', 'image/*', file('a.mp4', 'video/mp4'), false],
  ['wildcard needs the slash', 'image/*', file('a', 'imagex/png'), false],
  ['*/* takes anything', '*/*', file('a.bin', 'application/octet-stream'), true],
  ['* takes anything', '*', file('a.bin', ''), true],
  ['*/* among others takes anything', 'image/png,*/*', file('a.bin', ''), true],
  ['extension', '.pdf', file('report.pdf', 'application/pdf'), true],
  ['extension, upper-case name', '.pdf', file('REPORT.PDF', ''), true],
  ['extension, upper-case token', '.PDF', file('report.pdf', ''), true],
  ['extension must end the name', '.pdf', file('report.pdf.exe', ''), false],
  ['name without extension', '.pdf', file('README', ''), false],
  ['double extension', '.tar.gz', file('a.tar.gz', 'application/gzip'), true],
  ['empty type: extension still matches', '.txt', file('a.txt', ''), true],
  ['empty type: a MIME rule cannot match', 'text/*', file('a.txt', ''), false],
  ['list in a string, with spaces', ' image/png , .pdf ', file('a.pdf', ''), true],
  ['list in an array', ['image/*', '.pdf'], file('a.pdf', ''), true],
  ['array items may hold lists', ['image/png,.pdf'], file('a.pdf', ''), true],
  ['array, nothing matches', ['image/*', '.pdf'], file('a.txt', 'text/plain'), false],
  ['map: MIME type', { 'image/png': ['.png'] }, file('x', 'image/png'), true],
  ['map: extension with empty type', { 'image/png': ['.png'] }, file('x.PNG', ''), true],
  ['map: neither', { 'image/png': ['.png'] }, file('x.jpg', 'image/jpeg'), false],
  ['map: wildcard key', { 'image/*': [] }, file('x.webp', 'image/webp'), true],
  ['map: several keys', { 'image/*': [], 'application/pdf': ['.pdf'] }, file('x.pdf', ''), true],
  ['bare word ignored beside valid tokens', 'pdf,.txt', file('a.pdf', 'application/pdf'), false],
  ['valid token beside a bare word still counts', 'pdf,.txt', file('a.txt', ''), true],
  // Browsers ignore a bad token; a rule made only of them refuses rather than opening the gate.
  ['only invalid tokens refuse', 'pdf', file('a.pdf', 'application/pdf'), false],
];

describe('matchesAccept', () => {
  it.each(cases)('%s', (_label, accept, f, expected) => {
    expect(matchesAccept(f, accept)).toBe(expected);
    const [ok, error] = checkType(f, accept);
    expect(ok).toBe(expected);
    if (!expected) expect(error?.code).toBe('file-invalid-type');
  });

  it('names the wanted types in the rejection message', () => {
    const [, error] = checkType(file('a.exe', ''), 'image/*, .pdf');
    expect(error?.message).toBe('File type must be one of image/*, .pdf');
  });
});

describe('parseAccept', () => {
  it('splits tokens by kind', () => {
    const parsed = parseAccept('image/*, .PDF, text/plain;charset=utf-8, */*');
    expect(parsed.any).toBe(true);
    expect([...parsed.mimeTypes]).toEqual(['text/plain']);
    expect(parsed.mimePrefixes).toEqual(['image/']);
    expect(parsed.extensions).toEqual(['.pdf']);
    expect(parsed.tokens).toEqual(['image/*', '.PDF', 'text/plain;charset=utf-8', '*/*']);
  });

  it('caches objects by identity', () => {
    const accept = { 'image/png': ['.png'] };
    expect(parseAccept(accept)).toBe(parseAccept(accept));
  });
});

describe('acceptAttribute', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['image/*, .pdf', 'image/*,.pdf'],
    [['image/png', '.png'], 'image/png,.png'],
    [
      { 'image/png': ['.png', '.PNG'], 'application/pdf': [] },
      'image/png,.png,.PNG,application/pdf',
    ],
  ] as [Accept | undefined, string | undefined][])('%j -> %j', (accept, expected) => {
    expect(acceptAttribute(accept)).toBe(expected);
  });
});
