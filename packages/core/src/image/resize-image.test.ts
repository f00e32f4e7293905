import { describe, expect, it } from 'vitest';
import { makeFile } from '../upload/test-support/fake-transport';
import { resizeImage } from './resize-image';

describe('resizeImage', () => {
  it('sends files as they came where it cannot or should not work on them', async () => {
    const resize = resizeImage({ maxWidth: 100 });
    // Outside a browser (no createImageBitmap), and for files that are not still images.
    for (const file of [
      makeFile('a.png', 10, 'image/png'),
      makeFile('a.gif', 10, 'image/gif'),
      makeFile('a.svg', 10, 'image/svg+xml'),
      makeFile('a.txt', 10, 'text/plain'),
    ]) {
      expect(await resize(file)).toBe(file);
    }
  });
});
