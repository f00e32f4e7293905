import { describe, expect, it } from 'vitest';
import { servedType } from './served-type';

describe('servedType', () => {
  it.each([
    ['dot.png', 'image/png', null, 'image/png'],
    ['DOT.PNG', 'Image/PNG', null, 'Image/PNG'],
    ['innocent.png', 'text/html', null, 'application/octet-stream'],
    ['page.html', 'text/html', null, 'application/octet-stream'],
    ['logo.svg', 'image/svg+xml', null, 'application/octet-stream'],
    ['notes.txt', 'text/plain; charset=utf-8', null, 'text/plain; charset=utf-8'],
    ['notes.txt', 'text/plain; charset="utf-8"\r\nX: y', null, 'text/plain'],
    ['clip.mp4', 'video/mp4', null, 'video/mp4'],
    ['no-extension', 'image/png', null, 'application/octet-stream'],
    ['photo.bin', 'application/octet-stream', 'image/png', 'image/png'],
    ['innocent.png', 'text/html', 'image/png', 'image/png'],
  ])('%s declared %s, sniffed %s, is served as %s', (name, declared, sniffed, served) => {
    expect(servedType(name, declared, sniffed)).toBe(served);
  });
});
