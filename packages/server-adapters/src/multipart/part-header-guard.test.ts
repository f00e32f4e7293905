import { describe, expect, it } from 'vitest';
import { boundaryOf, partHeaderGuard } from './part-header-guard';

function feed(body: string, max: number, cuts: number[]): boolean {
  let over = false;
  const guard = partHeaderGuard('XYZ', max, () => {
    over = true;
  });
  const bytes = Buffer.from(body);
  let last = 0;
  for (const cut of [...cuts, bytes.length]) {
    guard(bytes.subarray(last, cut));
    last = cut;
  }
  return over;
}

const part = (head: string, data: string) => `--XYZ\r\n${head}\r\n\r\n${data}\r\n`;

describe('partHeaderGuard', () => {
  const small = part('Content-Disposition: form-data; name="a"', 'x'.repeat(500));
  const large = part(
    `Content-Disposition: form-data; name="a"; filename="${'n'.repeat(200)}.png"`,
    'y',
  );

  it('passes headers within the limit, however the body is cut', () => {
    const body = `${small}${small}--XYZ--\r\n`;
    for (const cuts of [[], [1], [3, 7], [60, 61, 62, 63, 64], [500, 520, 540]]) {
      expect(feed(body, 100, cuts)).toBe(false);
    }
  });

  it('reports a part whose headers are past the limit, however the body is cut', () => {
    const body = `${small}${large}--XYZ--\r\n`;
    for (const cuts of [[], [1], [560, 561, 562], [600, 700, 800]]) {
      expect(feed(body, 100, cuts)).toBe(true);
    }
  });

  it('finds a delimiter or a header end split at any byte between two chunks', () => {
    const fits = `${small}${part('Content-Disposition: form-data; name="b"', 'x')}--XYZ--\r\n`;
    const over = `${small}${large}--XYZ--\r\n`;
    for (let cut = 1; cut < fits.length; cut++) expect(feed(fits, 100, [cut])).toBe(false);
    for (let cut = 1; cut < over.length; cut++) expect(feed(over, 100, [cut])).toBe(true);
  });

  it('counts a head to the byte (the CRLF after the boundary included), its end split or not', () => {
    const head = 'Content-Disposition: form-data; name="a"';
    const body = `${part(head, 'x')}--XYZ--\r\n`;
    for (const cuts of [[], [head.length + 8], [head.length + 9], [head.length + 10]]) {
      expect(feed(body, head.length + 2, cuts)).toBe(false);
      expect(feed(body, head.length + 1, cuts)).toBe(true);
    }
  });

  it('counts only the headers: a long body with the delimiter text inside its bytes is fine', () => {
    const body = part('Content-Disposition: form-data; name="a"', `--XYZ${'z'.repeat(5000)}`);
    expect(feed(`${body}--XYZ--\r\n`, 100, [10, 2000])).toBe(false);
  });
});

describe('boundaryOf', () => {
  it.each([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['multipart/form-data; charset=utf-8; BOUNDARY="a b;c"', 'a b;c'],
    ['multipart/form-data', null],
  ])('%s', (type, expected) => {
    expect(boundaryOf(type)).toBe(expected);
  });
});
