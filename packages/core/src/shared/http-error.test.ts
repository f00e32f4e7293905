import { describe, expect, it } from 'vitest';
import { DownloadHttpError } from '../download/download-http-error';
import { UploadHttpError } from '../transport/upload-http-error';
import { answerError, HttpError, parseAnswer } from './http-error';

describe('answerError', () => {
  it("takes the server's code and message when its body says them", () => {
    const body = { error: { code: 'file-too-large', message: 'Too big' } };
    expect(answerError('Upload', 413, 'Payload Too Large', body)).toEqual({
      code: 'file-too-large',
      message: 'Too big',
    });
  });

  it('falls back to http-<status> and a sentence naming the operation', () => {
    expect(answerError('Download', 502, 'Bad Gateway', '<html>')).toEqual({
      code: 'http-502',
      message: 'Download failed with HTTP 502 Bad Gateway',
    });
    expect(answerError('Upload', 500, '', { error: { code: '', message: 7 } })).toEqual({
      code: 'http-500',
      message: 'Upload failed with HTTP 500',
    });
  });
});

describe('parseAnswer', () => {
  it('reads JSON, keeps other text, and has nothing for an empty body', () => {
    expect(parseAnswer('{"a":1}')).toEqual({ a: 1 });
    expect(parseAnswer('oops')).toBe('oops');
    expect(parseAnswer('')).toBeUndefined();
  });
});

describe('the HTTP errors', () => {
  it('share one base with status and code, each keeping its own name', async () => {
    const upload = UploadHttpError.fromAnswer(403, 'Forbidden', '{"error":{"code":"forbidden"}}');
    const download = await DownloadHttpError.fromResponse(
      new Response('{"error":{"code":"not-found","message":"Gone"}}', { status: 404 }),
    );
    expect(upload).toBeInstanceOf(HttpError);
    expect(download).toBeInstanceOf(HttpError);
    expect(upload).toMatchObject({ name: 'UploadHttpError', status: 403, code: 'forbidden' });
    expect(download).toMatchObject({
      name: 'DownloadHttpError',
      status: 404,
      code: 'not-found',
      message: 'Gone',
    });
  });
});
