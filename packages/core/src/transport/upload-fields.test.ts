import { describe, expect, it } from 'vitest';
import { formFields, relativePathField } from './upload-fields';

describe('relativePathField', () => {
  it("adds a dropped folder's path, unless the metadata names one or there is none", () => {
    expect(relativePathField({ album: 'a' }, 'trip/day1/x.jpg')).toEqual({
      relativePath: 'trip/day1/x.jpg',
    });
    expect(relativePathField({ relativePath: 'mine' }, 'trip/x.jpg')).toEqual({});
    expect(relativePathField({}, undefined)).toEqual({});
    expect(relativePathField({}, '')).toEqual({});
  });
});

describe('formFields', () => {
  it('is the metadata in order, then the folder path', () => {
    expect(formFields({ b: '2', a: '1' }, 'd/x')).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['relativePath', 'd/x'],
    ]);
    expect(formFields({ relativePath: 'mine' }, 'd/x')).toEqual([['relativePath', 'mine']]);
  });
});
