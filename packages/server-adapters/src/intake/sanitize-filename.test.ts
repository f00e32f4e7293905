import { describe, expect, it } from 'vitest';
import { sanitizeFilename } from './sanitize-filename';

describe('sanitizeFilename', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['/absolute/path/file.txt', 'file.txt'],
    ['C:\\Users\\me\\file.txt', 'file.txt'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['a\u0000b.txt', 'ab.txt'],
    ['tab\there.txt', 'tabhere.txt'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
    ['bell\u0007\u009b.txt', 'bell.txt'],
    ['what?<>:"|*.txt', 'what_______.txt'],
    ['name.', 'name'],
    ['name. . .', 'name'],
    ['name   ', 'name'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['PRN.tar.gz', '_PRN.tar.gz'],
    ['AUX', '_AUX'],
    ['NUL.', '_NUL'],
    ['COM1.log', '_COM1.log'],
    ['LPT9', '_LPT9'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['COM10', 'COM10'],
    ['.htaccess', '.htaccess'],
    ['résumé.pdf', 'résumé.pdf'],
    ['日本語のファイル.txt', '日本語のファイル.txt'],
    ['emoji 🎉.png', 'emoji 🎉.png'],
    ['e\u0301.txt', 'é.txt'],
    ['evil\u202Egnp.exe', 'evilgnp.exe'],
  ])('%j becomes %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('caps the name at 255 UTF-8 bytes, keeping the extension and whole characters', () => {
    const long = `${'日'.repeat(200)}.jpeg`;
    const out = sanitizeFilename(long);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(255);
    expect(out.endsWith('.jpeg')).toBe(true);
    expect(out).toBe(`${'日'.repeat(83)}.jpeg`);
    const ascii = sanitizeFilename(`${'a'.repeat(300)}.txt`);
    expect(ascii).toBe(`${'a'.repeat(251)}.txt`);
    const emoji = sanitizeFilename('🎉'.repeat(100));
    expect(Buffer.byteLength(emoji)).toBe(252);
    expect(emoji).toBe('🎉'.repeat(63));
  });

  it('takes a fallback of your choosing', () => {
    expect(sanitizeFilename('..', 'download')).toBe('download');
  });
});
