import { describe, expect, it, vi } from 'vitest';
import { fetchRequest } from './fetch-request';
import { uploadResult } from './http-answer';
import { UploadHttpError } from './upload-http-error';

describe('fetchRequest', () => {
  it('answers any status with its headers and text, and reads no body for HEAD', async () => {
    const text = vi.fn(async () => 'body');
    const fake = vi.fn(
      async () =>
        ({
          status: 404,
          statusText: 'Not Found',
          headers: new Headers({ 'upload-offset': '7' }),
          text,
        }) as unknown as Response,
    );
    const answer = await fetchRequest({ method: 'GET', url: '/x', headers: {}, fetch: fake });
    expect(answer).toMatchObject({ status: 404, statusText: 'Not Found', text: 'body' });
    expect(answer.header('Upload-Offset')).toBe('7');
    text.mockClear();
    await fetchRequest({ method: 'HEAD', url: '/x', headers: {}, fetch: fake });
    expect(text).not.toHaveBeenCalled();
    expect(fake).toHaveBeenLastCalledWith('/x', {
      method: 'HEAD',
      headers: {},
      credentials: 'same-origin',
    });
  });

  it('rejects with a network-error UploadHttpError when no answer came', async () => {
    const fake = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });
    const failure = fetchRequest({ method: 'POST', url: '/x', headers: {}, fetch: fake });
    await expect(failure).rejects.toBeInstanceOf(UploadHttpError);
    await expect(failure).rejects.toMatchObject({ code: 'network-error', message: 'fetch failed' });
  });

  it('rejects with an AbortError once its signal aborted, before or during the request', async () => {
    const controller = new AbortController();
    controller.abort();
    const fake = vi.fn(async () => new Response('never'));
    await expect(
      fetchRequest({
        method: 'GET',
        url: '/x',
        headers: {},
        signal: controller.signal,
        fetch: fake,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake).not.toHaveBeenCalled();

    const during = new AbortController();
    const hangs = vi.fn(async () => {
      during.abort();
      throw new Error('reset');
    });
    await expect(
      fetchRequest({ method: 'GET', url: '/x', headers: {}, signal: during.signal, fetch: hangs }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('uploadResult', () => {
  const answer = (status: number, text: string) => ({
    status,
    statusText: '',
    header: () => null,
    text,
  });

  it('is the parsed body of a 2xx answer', () => {
    expect(uploadResult(answer(201, '{"id":"a"}'))).toEqual({ id: 'a' });
    expect(uploadResult(answer(204, ''))).toBeUndefined();
  });

  it("throws the server's error for any other status", () => {
    expect(() => uploadResult(answer(413, '{"error":{"code":"file-too-large"}}'))).toThrow(
      expect.objectContaining({ status: 413, code: 'file-too-large' }),
    );
  });
});
