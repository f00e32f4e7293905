// The server's dependency, imported here only as an oracle: core itself has no runtime dependency.
import { parse } from 'content-disposition';
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

// Every header that content-disposition's own parse tests (with TC 2231's) accept: the name
// must be the one it finds.
const VALID = [
  'attachment',
  'inline',
  'form-data',
  'attachment \t ',
  'ATTACHMENT',
  'attachment; FILENAME="plans.pdf"',
  'attachment; filename="plans.pdf"',
  'attachment; filename="the \\"plans\\".pdf"',
  'attachment; filename="plans.pdf"; foo=bar',
  'attachment;filename="plans.pdf" \t;    \t\t foo=bar',
  'attachment; filename=plans.pdf',
  'attachment; filename="£ rates.pdf"',
  "attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf",
  "attachment; filename*=UTF-8''%E4%20rates.pdf",
  "attachment; filename*=ISO-8859-1''%A3%20rates.pdf",
  "attachment; filename*=ISO-8859-1''%82%20rates.pdf",
  "attachment; filename*=utf-8''%E2%82%AC%20rates.pdf",
  "attachment; filename*=UTF-8'en'%E2%82%AC%20rates.pdf",
  `attachment; filename="EURO rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf`,
  `attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf; filename="EURO rates.pdf"`,
  'inline; filename="foo.html"',
  'inline; filename="Not an attachment!"',
  'inline; filename="foo.pdf"',
  'attachment; filename="foo.html"',
  'attachment; filename="0000000000111111111122222"',
  'attachment; filename="00000000001111111111222222222233333"',
  'attachment; filename="f\\oo.html"',
  'attachment; filename="\\"quoting\\" tested.html"',
  `attachment; filename="Here's a semicolon;.html"`,
  'attachment; foo="bar"; filename="foo.html"',
  'attachment; foo="\\"\\\\";filename="foo.html"',
  'attachment; FILENAME="foo.html"',
  'attachment; filename=foo.html',
  "attachment; filename='foo.bar'",
  'attachment; filename="foo-ä.html"',
  'attachment; filename="foo-Ã¤.html"',
  'attachment; filename="foo-%41.html"',
  'attachment; filename="50%.html"',
  'attachment; filename="foo-%\\41.html"',
  'attachment; name="foo-%41.html"',
  'attachment; filename="ä-%41.html"',
  'attachment; filename="foo-%c3%a4-%e2%82%ac.html"',
  'attachment; filename ="foo.html"',
  'attachment; xfilename=foo.html',
  'attachment; filename="/foo.html"',
  'attachment; filename="\\\\foo.html"',
  'attachment; creation-date="Wed, 12 Feb 1997 16:29:51 -0500"',
  'foobar',
  'attachment; example="filename=example.txt"',
  "attachment; filename*=iso-8859-1''foo-%E4.html",
  "attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html",
  "attachment; filename*=UTF-8''foo-a%cc%88.html",
  "attachment; filename*=iso-8859-1''foo-%c3%a4-%e2%82%ac.html",
  "attachment; filename*=utf-8''foo-%E4.html",
  "attachment; filename*= UTF-8''foo-%c3%a4.html",
  "attachment; filename* =UTF-8''foo-%c3%a4.html",
  "attachment; filename*=UTF-8''A-%2541.html",
  "attachment; filename*=UTF-8''%5cfoo.html",
  'attachment; filename*0="foo."; filename*1="html"',
  'attachment; filename*0*=UTF-8\'\'foo-%c3%a4; filename*1=".html"',
  `attachment; filename="foo-ae.html"; filename*=UTF-8''foo-%c3%a4.html`,
  `attachment; filename*=UTF-8''foo-%c3%a4.html; filename="foo-ae.html"`,
  "attachment; filename*0*=ISO-8859-15''euro-sign%3d%a4; filename*=ISO-8859-1''currency-sign%3d%a4",
  'attachment; foobar=x; filename="foo.html"',
  'attachment; filename="=?ISO-8859-1?Q?foo-=E4.html?="',
];

describe('filenameFromContentDisposition against content-disposition (RFC 6266, TC 2231)', () => {
  it.each(VALID)('%s', (header) => {
    const expected = parse(header).parameters.filename;
    expect(filenameFromContentDisposition(header)).toBe(expected);
  });
});

// Headers content-disposition refuses as invalid; browsers still find a name in most, and so
// does the client, the way they do.
describe('filenameFromContentDisposition on invalid headers, leniently', () => {
  it.each([
    ['attachment; filename=foo bar.html', 'foo bar.html'],
    ['attachment; filename=foo.html, attachment', 'foo.html'],
    ['attachment; filename=foo.html, attachment; filename=bar.html', 'foo.html'],
    ['attachment; filename="foo.html", inline; filename="bar.html"', 'foo.html'],
    ['attachment; filename=foo,bar.html', 'foo,bar.html'],
    ['attachment; filename=foo[1](2).html', 'foo[1](2).html'],
    ['attachment; filename=foo-ä.html', 'foo-ä.html'],
    ['attachment; filename="foo.html".txt', 'foo.html'],
    ['attachment; filename="bar', 'bar'],
    ['attachment; filename=foo.html ;', 'foo.html'],
    ['attachment; ;filename=foo', 'foo'],
    ['attachment; filename="rates.pdf";', 'rates.pdf'],
    ['attachment; filename="foo.html"; filename="bar.html"', 'foo.html'],
    ['filename=foo.html', 'foo.html'],
    ['attachment; filename=', undefined],
    ['attachment; filename=""', undefined],
    ["attachment; filename*=UTF-8''foo%", undefined],
    ["attachment; filename*=UTF-8''f%oo.html; filename=plain.html", 'plain.html'],
    [`attachment; filename*="UTF-8''foo-%c3%a4.html"`, undefined],
    ["attachment; filename*=''foo.html; filename=plain.html", 'plain.html'],
    [
      'attachment; filename*=ISO-8859-2\'\'%A4%20rates.pdf; filename="fallback.pdf"',
      'fallback.pdf',
    ],
    ["attachment; filename*=utf8''caf%C3%A9.txt; filename=cafe.txt", 'café.txt'],
  ])('%s gives %s', (header, name) => {
    expect(filenameFromContentDisposition(header)).toBe(name);
  });
});
