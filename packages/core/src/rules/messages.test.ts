import { describe, expect, it } from 'vitest';
import { checkType } from './accept';
import { combineMessages, fillTemplate, type Messages, messageFor } from './messages';
import { checkFile, checkSize, selectFiles, tooManyFilesError, validateFile } from './rules';

const f = (name: string, size: number, type = '') => ({ name, size, type });

describe('messageFor', () => {
  it('keeps the English message without replacements', () => {
    expect(messageFor(undefined, 'file-too-large', { message: 'English' })).toBe('English');
    expect(messageFor({}, 'file-too-large', { message: 'English' })).toBe('English');
  });

  it('fills a template, sizes in human units, unknown keys left as written', () => {
    expect(
      fillTemplate('{name}: {size} over {maxSize}, {nope}', {
        message: '',
        name: 'a.png',
        size: 3 * 1024 * 1024,
        maxSize: 1024 * 1024,
      }),
    ).toBe('a.png: 3 MiB over 1 MiB, {nope}');
  });

  it('takes a function per code, or one function for all, which may decline', () => {
    const perCode: Messages = { 'too-many-files': (d) => `max ${d.maxFiles}` };
    expect(messageFor(perCode, 'too-many-files', { message: 'x', maxFiles: 2 })).toBe('max 2');
    const one: Messages = (code, d) => (code === 'file-too-small' ? `${d.minSize}` : undefined);
    expect(messageFor(one, 'file-too-small', { message: 'x', minSize: 5 })).toBe('5');
    expect(messageFor(one, 'file-too-large', { message: 'English' })).toBe('English');
  });

  it('combines two sets, the first winning per code', () => {
    const both = combineMessages(
      { 'file-too-large': 'first' },
      { 'file-too-large': 'second', 'file-too-small': 'second small' },
    );
    expect(messageFor(both, 'file-too-large', { message: 'x' })).toBe('first');
    expect(messageFor(both, 'file-too-small', { message: 'x' })).toBe('second small');
    expect(messageFor(both, 'too-many-files', { message: 'English' })).toBe('English');
    const only = { 'file-too-large': 'only' };
    expect(combineMessages(only, undefined)).toBe(only);
    expect(combineMessages(undefined, only)).toBe(only);
  });
});

describe('rules with messages', () => {
  const messages: Messages = {
    'file-too-large': 'Trop grand : {name} dépasse {maxSize}',
    'file-too-small': 'Trop petit (min {minSize})',
    'file-invalid-type': 'Types acceptés : {accept}',
    'too-many-files': '{maxFiles} fichiers au plus',
    'validation-failed': 'Refusé : {message}',
    'not-square': 'Image non carrée',
  };

  it('replaces each built-in rejection message by code', () => {
    expect(checkSize(f('a.bin', 2048), { maxSize: 1024, messages })[1]?.message).toBe(
      'Trop grand : a.bin dépasse 1 KiB',
    );
    expect(checkSize(f('a.bin', 1), { minSize: 10, messages })[1]?.message).toBe(
      'Trop petit (min 10 B)',
    );
    expect(checkType(f('a.exe', 1), 'image/*, .pdf', messages)[1]?.message).toBe(
      'Types acceptés : image/*, .pdf',
    );
    expect(tooManyFilesError(3, messages).message).toBe('3 fichiers au plus');
    expect(checkFile(f('a.exe', 5000), { accept: 'image/*', maxSize: 10, messages })).toEqual([
      { code: 'file-invalid-type', message: 'Types acceptés : image/*' },
      { code: 'file-too-large', message: 'Trop grand : a.exe dépasse 10 B' },
    ]);
  });

  it("rewords a validator's errors, its own message as {message}, custom codes too", async () => {
    expect(await validateFile(f('a', 1), { validate: () => 'no', messages })).toEqual([
      { code: 'validation-failed', message: 'Refusé : no' },
    ]);
    expect(
      await validateFile(f('a', 1), {
        validate: () => ({ code: 'not-square', message: 'x' }),
        messages,
      }),
    ).toEqual([{ code: 'not-square', message: 'Image non carrée' }]);
    expect(
      await validateFile(f('a', 1), {
        validate: () => ({ code: 'other', message: 'kept' }),
        messages,
      }),
    ).toEqual([{ code: 'other', message: 'kept' }]);
  });

  it('words the count rule of a selection', async () => {
    const { rejected } = await selectFiles([f('a', 1), f('b', 1)], { maxFiles: 1, messages });
    expect(rejected[0]?.errors).toEqual([
      { code: 'too-many-files', message: '1 fichiers au plus' },
    ]);
  });

  it('stays English by default', () => {
    expect(checkSize(f('a', 2048), { maxSize: 1024 })[1]?.message).toBe(
      'File is larger than 1 KiB',
    );
  });
});
