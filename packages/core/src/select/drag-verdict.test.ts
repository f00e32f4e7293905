import { describe, expect, it } from 'vitest';
import { extensionForMime } from '../shared/mime-extension';
import {
  type DragItemLike,
  type DragVerdictOptions,
  dragHasFiles,
  dragVerdict,
} from './drag-verdict';

const file = (type: string): DragItemLike => ({ kind: 'file', type });
const text: DragItemLike = { kind: 'string', type: 'text/plain' };

describe('dragVerdict', () => {
  const table: [string, DragItemLike[], DragVerdictOptions, string][] = [
    ['no rules', [file('application/x-thing')], {}, 'accept'],
    ['exact type', [file('image/png')], { accept: 'image/png' }, 'accept'],
    [
      'type with parameters in accept',
      [file('text/csv')],
      { accept: 'text/csv;charset=utf-8' },
      'accept',
    ],
    ['wildcard', [file('image/png'), file('image/webp')], { accept: 'image/*' }, 'accept'],
    ['any', [file('video/mp4')], { accept: '*/*' }, 'accept'],
    ['map form', [file('image/png')], { accept: { 'image/png': ['.png'] } }, 'accept'],
    ['array form', [file('application/pdf')], { accept: ['image/*', 'application/pdf'] }, 'accept'],
    ['rejected type', [file('application/pdf')], { accept: 'image/*' }, 'reject'],
    [
      'one bad among good',
      [file('image/png'), file('text/plain')],
      { accept: 'image/*' },
      'reject',
    ],
    ['empty type', [file('')], { accept: 'image/*' }, 'unknown'],
    ['empty type among good', [file('image/png'), file('')], { accept: 'image/*' }, 'unknown'],
    ['reject wins over unknown', [file(''), file('text/plain')], { accept: 'image/*' }, 'reject'],
    ['empty type without rules', [file('')], {}, 'accept'],
    ['extension known from type', [file('application/pdf')], { accept: '.pdf' }, 'accept'],
    ['extension the type does not show', [file('text/plain')], { accept: '.md' }, 'unknown'],
    [
      'extension or type, type unrelated',
      [file('video/mp4')],
      { accept: 'image/*,.heic' },
      'unknown',
    ],
    [
      'too many when multiple is false',
      [file('image/png'), file('image/png')],
      { multiple: false },
      'reject',
    ],
    ['one when multiple is false', [file('image/png')], { multiple: false }, 'accept'],
    ['more than maxFiles', [file('a/b'), file('a/b'), file('a/b')], { maxFiles: 2 }, 'reject'],
    [
      'maxFiles with some held',
      [file('a/b'), file('a/b')],
      { maxFiles: 3, alreadyHeld: 2 },
      'reject',
    ],
    ['fits maxFiles', [file('a/b'), file('a/b')], { maxFiles: 3, alreadyHeld: 1 }, 'accept'],
    [
      'string items ignored',
      [text, file('image/png')],
      { accept: 'image/*', multiple: false },
      'accept',
    ],
  ];

  it.each(table)('%s', (_, items, options, expected) => {
    expect(dragVerdict({ items, types: ['Files'] }, options)).toBe(expected);
  });

  it('knows the usual extension of common types with extensionForMime, the subtype without it', () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const drag = (type: string) => ({ items: [file(type)], types: ['Files'] });
    expect(dragVerdict(drag(docx), { accept: '.docx', extensionForMime })).toBe('accept');
    expect(dragVerdict(drag('image/jpeg'), { accept: '.jpg', extensionForMime })).toBe('accept');
    expect(dragVerdict(drag(docx), { accept: '.docx' })).toBe('unknown');
    expect(dragVerdict(drag('image/jpeg'), { accept: '.jpg' })).toBe('unknown');
    expect(dragVerdict(drag('Text/CSV; charset=utf-8'), { accept: '.csv' })).toBe('accept');
    expect(dragVerdict(drag('image/png'), { accept: '.png', extensionForMime })).toBe('accept');
  });

  it('is unknown when a browser lists only types', () => {
    expect(dragVerdict({ types: ['Files'] }, { accept: 'image/*' })).toBe('unknown');
    expect(dragVerdict({ items: [], types: ['Files'] }, { accept: 'image/*' })).toBe('unknown');
  });
});

describe('dragHasFiles', () => {
  it('sees files by type or by item kind', () => {
    expect(dragHasFiles({ types: ['Files'] })).toBe(true);
    expect(dragHasFiles({ items: [file('')] })).toBe(true);
  });

  it('ignores text and link drags', () => {
    expect(dragHasFiles({ types: ['text/plain', 'text/uri-list'], items: [text] })).toBe(false);
    expect(dragHasFiles(null)).toBe(false);
  });
});
