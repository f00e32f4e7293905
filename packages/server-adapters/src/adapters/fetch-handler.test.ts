import { describe, expect, it } from 'vitest';
import { targetOf } from './fetch-handler';

describe('targetOf', () => {
  it.each([
    'http://h/api/files/abc',
    'http://h:8080/api/files/abc?disposition=inline&filename=a%20b.txt',
    'https://u:p@h/x?y=1&z=%41',
    'http://h/a//b',
    'http://h/A_b-c~d',
    'http://h/a?x=%',
    'http://h/a?x=a+b',
    'http://h/a?',
    'http://h/a/../b',
    'http://h/a/./b',
    'http://h/a/%2e%2e/b',
    'http://h/a b?c d',
    'http://h/\\a',
    'http://h/a?b#c',
    'http://h/a#c',
    'http://h',
    'http://h/a/..',
    'http://h/ü?ü',
    'HTTP://h/a',
    'foo://h/a/../b',
  ])('%s: the path and query new URL gives', (href) => {
    const { pathname, search } = new URL(href);
    expect(targetOf(href)).toBe(pathname + search);
  });
});
