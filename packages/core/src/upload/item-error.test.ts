import { describe, expect, it } from 'vitest';
import { UploadHttpError } from '../transport/upload-http-error';
import { itemErrorOf } from './item-error';

describe('itemErrorOf', () => {
  it('keeps the code, message and status of an HTTP answer', () => {
    expect(itemErrorOf(new UploadHttpError(413, 'file-too-large', 'Too big'))).toEqual({
      code: 'file-too-large',
      message: 'Too big',
      status: 413,
    });
  });

  it('has no status when there was no answer', () => {
    expect(itemErrorOf(UploadHttpError.network('offline'))).toEqual({
      code: 'network-error',
      message: 'offline',
    });
    expect(itemErrorOf(new TypeError('fetch failed'))).toEqual({
      code: 'network-error',
      message: 'fetch failed',
    });
  });

  it("keeps any error's own string code, else calls it upload-failed", () => {
    const coded = Object.assign(new Error('Set `endpoint`'), { code: 'missing-endpoint' });
    expect(itemErrorOf(coded)).toEqual({ code: 'missing-endpoint', message: 'Set `endpoint`' });
    expect(itemErrorOf(new Error('not today'))).toEqual({
      code: 'upload-failed',
      message: 'not today',
    });
    expect(itemErrorOf('a string')).toEqual({ code: 'upload-failed', message: 'Upload failed' });
    expect(itemErrorOf(Object.assign(new Error(''), { code: 7 }))).toEqual({
      code: 'upload-failed',
      message: 'Upload failed',
    });
  });
});
