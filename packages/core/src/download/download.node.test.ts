import { describe, expect, it } from 'vitest';
import { download } from './download';

describe('download in Node', () => {
  it('explains that saving needs a browser', async () => {
    await expect(download({ data: 'x' })).rejects.toThrow(/needs a browser window/);
    await expect(download({ url: 'http://127.0.0.1:9/x' })).rejects.toThrow(
      /needs a browser window/,
    );
  });
});
