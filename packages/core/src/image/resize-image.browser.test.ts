import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

// resizeImage in Chromium: a 3000 x 2000 photo-like PNG (noise, so it compresses badly) is
// scaled and re-encoded before the rules judge it, and the server receives the small file.

declare const updown: typeof Core;

const received: number[] = [];

function receive(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    received.push(bytes);
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end('{"files":[]}');
  });
  return true;
}

let corePage: CorePage;

beforeAll(async () => {
  corePage = await openCorePage({ route: receive });
  await corePage.page.evaluate(`globalThis.noise = ${NOISE}`);
}, 60_000);

afterAll(async () => {
  await corePage?.close();
});

/** In the page: a PNG of `width` x `height` random pixels. */
const NOISE = `async (width, height, name) => {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  const data = context.createImageData(width, height);
  for (let i = 0; i < data.data.length; i++) data.data[i] = (i & 3) === 3 ? 255 : (Math.random() * 256) | 0;
  context.putImageData(data, 0, 0);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png', lastModified: 1234 });
}`;

it('scales and re-encodes an image, and keeps what it should not touch', async () => {
  const result = await corePage.page.evaluate(async () => {
    const noise = (
      globalThis as unknown as { noise: (w: number, h: number, n: string) => Promise<File> }
    ).noise;
    const photo = await noise(3000, 2000, 'IMG_0001.png');
    const resize = updown.resizeImage({ maxWidth: 1200, type: 'image/jpeg', quality: 0.7 });
    const small = await resize(photo);
    const bitmap = await createImageBitmap(small);
    const gif = new File([new Uint8Array(10)], 'a.gif', { type: 'image/gif' });
    const text = new File(['hi'], 'a.txt', { type: 'text/plain' });
    const broken = new File(['nope'], 'b.jpg', { type: 'image/jpeg' });
    const tiny = await noise(10, 10, 't.png');
    const webp = await updown.resizeImage({ maxWidth: 500, maxHeight: 100, type: 'image/webp' })(
      photo,
    );
    return {
      before: photo.size,
      after: small.size,
      name: small.name,
      type: small.type,
      lastModified: small.lastModified,
      size: [bitmap.width, bitmap.height],
      kept: [
        (await resize(gif)) === gif,
        (await resize(text)) === text,
        (await resize(broken)) === broken,
        (await updown.resizeImage({ type: 'image/png' })(tiny)) === tiny,
      ],
      webp: { name: webp.name, type: webp.type },
    };
  });
  expect(result).toMatchObject({
    name: 'IMG_0001.jpg',
    type: 'image/jpeg',
    lastModified: 1234,
    size: [1200, 800],
    kept: [true, true, true, true],
    webp: { name: 'IMG_0001.webp', type: 'image/webp' },
  });
  expect(result.after).toBeLessThan(result.before / 5);
});

it('runs before the rules: a photo over maxSize is accepted once resized, and sent small', async () => {
  const result = await corePage.page.evaluate(async () => {
    const noise = (
      globalThis as unknown as { noise: (w: number, h: number, n: string) => Promise<File> }
    ).noise;
    const photo = await noise(2400, 1600, 'big.png');
    const limit = 400 * 1024;
    const strict = updown.createUploader({ endpoint: '/upload', rules: { maxSize: limit } });
    const refused = (await strict.add([photo])).rejected.map((r) => r.errors[0]?.code);
    const uploader = updown.createUploader({
      endpoint: '/upload',
      rules: { maxSize: limit, accept: 'image/*' },
      prepare: updown.resizeImage({ maxWidth: 800, quality: 0.8 }),
    });
    const { accepted } = await uploader.add([photo]);
    const [item] = await uploader.upload();
    return {
      original: photo.size,
      limit,
      refused,
      accepted: accepted.map((i) => [i.name, i.type]),
      status: item?.status,
      sent: item?.size ?? 0,
    };
  });
  expect(result.original).toBeGreaterThan(result.limit);
  expect(result.refused).toEqual(['file-too-large']);
  expect(result.accepted).toEqual([['big.jpg', 'image/jpeg']]);
  expect(result.status).toBe('success');
  expect(result.sent).toBeLessThan(result.limit);
  // The multipart body: the small file and a little framing.
  expect(received.at(-1)).toBeGreaterThan(result.sent);
  expect(received.at(-1)).toBeLessThan(result.sent + 1024);
});
