import { describe, expect, it } from 'vitest';
import { splitBindingOptions } from './framework-bindings';

describe('splitBindingOptions', () => {
  it('hands the drop zone its keys and the uploader everything else, given or not', () => {
    const transport = async () => ({});
    const [uploader, dropzone] = splitBindingOptions({
      transport,
      concurrency: 2,
      rules: { maxFiles: 3 },
      noClick: true,
      noDrag: false,
      directory: true,
      disabled: undefined,
    });
    expect(uploader).toEqual({ transport, concurrency: 2, rules: { maxFiles: 3 } });
    expect(dropzone).toEqual({
      noClick: true,
      noDrag: false,
      directory: true,
      disabled: undefined,
    });
    expect(splitBindingOptions({})).toEqual([{}, {}]);
  });

  it('leaves the options it was given alone', () => {
    const options = { noPaste: true, autoUpload: false };
    splitBindingOptions(options);
    expect(options).toEqual({ noPaste: true, autoUpload: false });
  });
});
