import { describe, expect, it } from 'vitest';
import { multipartBody } from './multipart-body';
import { drain } from './test-support/drain';

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('multipartBody', () => {
  it('writes fields, then the file, then the closing boundary; the length is exact', async () => {
    const sent: number[] = [];
    const { body, length, contentType } = multipartBody({
      boundary: 'XYZ',
      fields: [
        ['album', 'été'],
        ['a"b', 'v'],
      ],
      fieldName: 'file',
      file: { blob: new Blob(['hello']), filename: 'x\r\n".txt', type: '' },
      onBytes: (n) => sent.push(n),
    });
    const chunks = await drain(body);
    expect(contentType).toBe('multipart/form-data; boundary=XYZ');
    expect(text(chunks)).toBe(
      '--XYZ\r\nContent-Disposition: form-data; name="album"\r\n\r\nété\r\n' +
        '--XYZ\r\nContent-Disposition: form-data; name="a%22b"\r\n\r\nv\r\n' +
        '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="x%0D%0A%22.txt"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\nhello\r\n--XYZ--\r\n',
    );
    const total = chunks.reduce((n, c) => n + c.byteLength, 0);
    expect(length).toBe(total);
    expect(sent.at(-1)).toBe(total);
  });

  it('hands the file over in slices no larger than sliceSize, counting as it goes', async () => {
    const size = 100_000;
    const sent: number[] = [];
    const { body, length } = multipartBody({
      fields: [],
      fieldName: 'f',
      file: { blob: new Blob([new Uint8Array(size)]), filename: 'z.bin', type: 'application/x-z' },
      sliceSize: 4096,
      onBytes: (n) => sent.push(n),
    });
    const chunks = await drain(body);
    const fileChunks = chunks.slice(1, -1);
    expect(fileChunks.reduce((n, c) => n + c.byteLength, 0)).toBe(size);
    expect(Math.max(...fileChunks.map((c) => c.byteLength))).toBeLessThanOrEqual(4096);
    expect(sent.length).toBe(chunks.length);
    expect(sent.at(-1)).toBe(length);
  });

  it('reads nothing ahead: a slice is read only when pulled', async () => {
    const sent: number[] = [];
    const { body } = multipartBody({
      fields: [],
      fieldName: 'f',
      file: { blob: new Blob([new Uint8Array(50_000)]), filename: 'z', type: '' },
      sliceSize: 1000,
      onBytes: (n) => sent.push(n),
    });
    const reader = body.getReader();
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toHaveLength(2);
    await reader.cancel();
  });

  it('errors on the next pull once its signal is aborted', async () => {
    const controller = new AbortController();
    const { body } = multipartBody({
      fields: [],
      fieldName: 'f',
      file: { blob: new Blob([new Uint8Array(50_000)]), filename: 'z', type: '' },
      sliceSize: 1000,
      signal: controller.signal,
    });
    const reader = body.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });
});
