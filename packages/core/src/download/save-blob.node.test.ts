import { describe, expect, it } from 'vitest';
import { defaultSaveWindow, saveBlob } from './save-blob';

describe('saveBlob in Node', () => {
  it('has no window to save through, and says so', () => {
    expect(defaultSaveWindow()).toBeUndefined();
    expect(() => saveBlob(new Blob(['x']), 'x.txt')).toThrow(/needs a browser window/);
  });
});
