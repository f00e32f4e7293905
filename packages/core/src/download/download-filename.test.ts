import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition, filenameFromUrl } from './download-filename';

describe('filenameFromUrl', () => {
  it.each([
    ['https://example.com/files/report.pdf?token=1#top', 'report.pdf'],
    ['/api/files/abc', 'abc'],
    ['/a/caf%C3%A9.txt', 'café.txt'],
    ['/a/bad%E0.txt', 'bad%E0.txt'],
    ['https://example.com/', undefined],
    ['data:text/plain,hi', undefined],
    ['blob:https://example.com/1234', undefined],
  ])('%s gives %s', (url, name) => {
    expect(filenameFromUrl(url)).toBe(name);
  });
});

describe('filenameFromContentDisposition', () => {
  it.each([
    ['attachment; filename="plain.txt"', 'plain.txt'],
    ['attachment; filename=token.txt', 'token.txt'],
    ['attachment; filename="with \\"quote\\".txt"', 'with "quote".txt'],
    ['attachment; filename="fallback.txt"; filename*=UTF-8\'\'caf%C3%A9.txt', 'café.txt'],
    ["attachment; filename*=utf-8''%E2%82%AC%20rates.txt", '€ rates.txt'],
    ["attachment; filename*=iso-8859-1'en'%A3%20rates.txt", '£ rates.txt'],
    ['inline', undefined],
    [null, undefined],
  ])('%s gives %s', (header, name) => {
    expect(filenameFromContentDisposition(header)).toBe(name);
  });
});
