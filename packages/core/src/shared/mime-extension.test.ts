import { describe, expect, it } from 'vitest';
import { extensionForMime, hasExtension, withExtension } from './mime-extension';

describe('extensionForMime', () => {
  it.each([
    ['image/png', 'png'],
    ['image/jpeg', 'jpg'],
    ['text/csv;charset=utf-8', 'csv'],
    ['TEXT/PLAIN; charset=UTF-8', 'txt'],
    ['application/json', 'json'],
    ['application/ld+json', 'json'],
    ['image/svg+xml', 'svg'],
    ['application/atom+xml', 'xml'],
    ['application/pdf', 'pdf'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ])('%s gives %s', (mime, extension) => {
    expect(extensionForMime(mime)).toBe(extension);
  });

  it('gives undefined for an unknown or empty type', () => {
    expect(extensionForMime('application/x-unheard-of')).toBeUndefined();
    expect(extensionForMime('')).toBeUndefined();
  });
});

describe('withExtension', () => {
  it.each([
    ['report', 'application/pdf', 'report.pdf'],
    ['report.pdf', 'application/json', 'report.pdf'],
    ['archive.tar.gz', 'application/gzip', 'archive.tar.gz'],
    ['.env', 'text/plain', '.env.txt'],
    ['my report', 'text/csv', 'my report.csv'],
    ['version 1.', 'text/plain', 'version 1..txt'],
    ['blob', 'application/x-unheard-of', 'blob'],
  ])('(%s, %s) gives %s', (name, mime, expected) => {
    expect(withExtension(name, mime)).toBe(expected);
  });

  it('looks only at the last path segment', () => {
    expect(hasExtension('dir.v2/file')).toBe(false);
    expect(hasExtension('dir/file.txt')).toBe(true);
  });
});
