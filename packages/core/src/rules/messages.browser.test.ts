import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

// Messages in Chromium: a file picked through a real <input type=file> is refused with the
// page's own wording, and a 413 from the server reaches the item through xhrTransport reworded.

declare const updown: typeof Core;

function refuse(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  req.resume();
  req.on('end', () => {
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(
      JSON.stringify({ error: { code: 'file-too-large', message: 'File is larger than 4 B' } }),
    );
  });
  return true;
}

let corePage: CorePage;

beforeAll(async () => {
  corePage = await openCorePage({ route: refuse });
}, 60_000);

afterAll(async () => {
  await corePage?.close();
});

it('words rejections and server errors as the page asks, in a real browser', async () => {
  const { page } = corePage;
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    document.body.append(input);
    const uploader = updown.createUploader({
      endpoint: '/upload',
      retry: false,
      rules: {
        maxSize: 8,
        messages: { 'file-too-large': 'Trop grand : {name} ({size} > {maxSize})' },
      },
      messages: { 'file-too-large': undefined, 'http-413': 'x' },
    });
    // A second uploader whose own message for the server's code wins.
    const server = updown.createUploader({
      endpoint: '/upload',
      retry: false,
      messages: { 'file-too-large': (d) => `Serveur ${d.status} : ${d.message}` },
    });
    input.addEventListener('change', async () => {
      const files = Array.from(input.files ?? []);
      await uploader.add(files);
      await server.add(files.filter((f) => f.size <= 8));
      await server.upload();
      Object.assign(globalThis, {
        outcome: {
          rejected: uploader.getState().rejected.map((r) => r.errors[0]?.message),
          failed: server.getState().items.map((i) => i.error?.message),
        },
      });
    });
  });
  await page.locator('input[type=file]').setInputFiles([
    { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(20) },
    { name: 'small.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(6) },
  ]);
  await page.waitForFunction(() => 'outcome' in globalThis);
  expect(
    await page.evaluate(() => (globalThis as unknown as { outcome: unknown }).outcome),
  ).toEqual({
    rejected: ['Trop grand : big.bin (20 B > 8 B)'],
    failed: ['Serveur 413 : File is larger than 4 B'],
  });
});
