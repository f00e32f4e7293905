import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';
import type * as Core from '../index';

// Previews in Chromium: a 1600 x 1200 PNG and a recorded WebM video made in the page become
// small thumbnails an <img> can show, and every object URL made is revoked in the end.

declare const updown: typeof Core;

interface Counted {
  made: string[];
  revoked: string[];
}

let corePage: CorePage;

beforeAll(async () => {
  corePage = await openCorePage({
    // Counts object URLs, so the test sees that none is left behind.
    initScript: () => {
      const counted = { made: [] as string[], revoked: [] as string[] };
      (globalThis as unknown as { counted: typeof counted }).counted = counted;
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (blob: Blob | MediaSource) => {
        const url = create(blob);
        counted.made.push(url);
        return url;
      };
      URL.revokeObjectURL = (url: string) => {
        counted.revoked.push(url);
        revoke(url);
      };
    },
  });
}, 60_000);

afterAll(async () => {
  await corePage?.close();
});

it('makes an image thumbnail that fits, shows it, and revokes its URL on release', async () => {
  const result = await corePage.page.evaluate(async () => {
    const canvas = new OffscreenCanvas(1600, 1200);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#e33';
    context.fillRect(0, 0, 1600, 1200);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const file = new File([blob], 'big.png', { type: 'image/png' });
    const preview = await updown.createPreview(file, { maxSize: 200 });
    if (!preview) return null;
    const img = new Image();
    img.src = preview.url;
    await img.decode();
    const shown = { width: img.naturalWidth, height: img.naturalHeight };
    const { width, height, originalWidth, originalHeight, url } = preview;
    preview.release();
    preview.release();
    const fetchAfter = await fetch(url).then(
      () => 'fetched',
      () => 'gone',
    );
    const none = await updown.createPreview(new File(['x'], 'a.txt', { type: 'text/plain' }));
    const broken = await updown.createPreview(new File(['nope'], 'a.png', { type: 'image/png' }));
    return { width, height, originalWidth, originalHeight, shown, fetchAfter, none, broken };
  });
  expect(result).toEqual({
    width: 200,
    height: 150,
    originalWidth: 1600,
    originalHeight: 1200,
    shown: { width: 200, height: 150 },
    fetchAfter: 'gone',
    none: null,
    broken: null,
  });
});

it('makes a video poster thumbnail', async () => {
  const result = await corePage.page.evaluate(async () => {
    // Half a second of a 640 x 360 canvas, recorded as WebM.
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream(30);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => {
      recorder.onstop = resolve;
    });
    recorder.start();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const draw = () => {
        context.fillStyle = `hsl(${(performance.now() - started) / 3}, 80%, 50%)`;
        context.fillRect(0, 0, 640, 360);
        if (performance.now() - started < 600) requestAnimationFrame(draw);
        else resolve();
      };
      draw();
    });
    recorder.stop();
    await stopped;
    const file = new File(chunks, 'clip.webm', { type: 'video/webm' });
    const preview = await updown.createPreview(file, { maxSize: 160, type: 'image/jpeg' });
    if (!preview) return null;
    const { width, height } = preview;
    preview.release();
    return { width, height };
  });
  expect(result).toEqual({ width: 160, height: 90 });
});

it('createPreviews follows an uploader and leaves no object URL behind', async () => {
  const result = await corePage.page.evaluate(async () => {
    const counted = (globalThis as unknown as { counted: Counted }).counted;
    counted.made.length = 0;
    counted.revoked.length = 0;
    const image = async (name: string) => {
      const canvas = new OffscreenCanvas(300, 600);
      canvas.getContext('2d')!.fillRect(0, 0, 300, 600);
      return new File([await canvas.convertToBlob()], name, { type: 'image/png' });
    };
    const uploader = updown.createUploader({ transport: async () => ({}) });
    const previews = updown.createPreviews(uploader, { maxSize: 100 });
    const sizes: number[] = [];
    const ready = (n: number) =>
      new Promise<void>((resolve) => {
        if (previews.getState().size === n) resolve();
        const stop = previews.subscribe((map) => {
          sizes.push(map.size);
          if (map.size === n) {
            stop();
            resolve();
          }
        });
      });
    const { accepted } = await uploader.add([
      await image('a.png'),
      await image('b.png'),
      new File(['t'], 't.txt'),
    ]);
    await ready(2);
    const first = previews.getState().get(accepted[0]!.id)!;
    const thumbnail = { width: first.width, height: first.height };
    uploader.remove(accepted[0]!.id);
    await ready(1);
    const afterRemove = counted.revoked.includes(first.url);
    previews.destroy();
    uploader.destroy();
    const left = counted.made.filter((url) => !counted.revoked.includes(url));
    return { thumbnail, afterRemove, left, made: counted.made.length };
  });
  expect(result).toEqual({
    thumbnail: { width: 50, height: 100 },
    afterRemove: true,
    left: [],
    made: 2,
  });
});
