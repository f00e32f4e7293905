import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleApp } from '../../../test-support/browser-app';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';

// usePreview in Chromium: each row shows its thumbnail, and a removed row's object URL is
// revoked (the page counts object URLs it makes and revokes).
const APP = `
import { createRoot } from 'react-dom/client';
import { usePreview, useUpload } from './index';

const made = [];
const revoked = [];
const create = URL.createObjectURL.bind(URL);
const revoke = URL.revokeObjectURL.bind(URL);
URL.createObjectURL = (blob) => { const url = create(blob); made.push(url); return url; };
URL.revokeObjectURL = (url) => { revoked.push(url); revoke(url); };
window.urls = { made, revoked };

function Row({ item, remove }) {
  const preview = usePreview(item, { maxSize: 80 });
  return (
    <li className="row" data-name={item.name}>
      {preview ? <img alt={item.name} src={preview.url} width={preview.width} height={preview.height} /> : null}
      <button type="button" onClick={() => remove(item.id)}>remove {item.name}</button>
    </li>
  );
}

function App() {
  const up = useUpload({ transport: async () => ({}) });
  window.add = up.add;
  return <ul>{up.items.map((item) => <Row key={item.id} item={item} remove={up.remove} />)}</ul>;
}
createRoot(document.getElementById('root')).render(<App />);
`;

let server: UploadServer;
let browser: Browser;

beforeAll(async () => {
  const app = await bundleApp(APP, dirname(fileURLToPath(import.meta.url)), 'tsx');
  server = await startUploadServer(app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('shows a thumbnail per image row and revokes it when the row goes', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'add' in window);
  await page.evaluate(async () => {
    const image = async (name: string, width: number, height: number) => {
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')!.fillRect(0, 0, width, height);
      return new File([await canvas.convertToBlob()], name, { type: 'image/png' });
    };
    const add = (window as unknown as { add(files: File[]): Promise<unknown> }).add;
    await add([
      await image('wide.png', 800, 400),
      await image('tall.png', 400, 800),
      new File(['t'], 'notes.txt'),
    ]);
  });
  const wide = page.getByRole('img', { name: 'wide.png' });
  await wide.waitFor();
  await page.getByRole('img', { name: 'tall.png' }).waitFor();
  expect(
    await wide.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]),
  ).toEqual([80, 40]);
  expect(await page.getByRole('img').count()).toBe(2);
  const src = await wide.getAttribute('src');
  await page.getByRole('button', { name: 'remove wide.png' }).click();
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { urls: { revoked: string[] } }).urls.revoked),
    )
    .toContain(src);
  const urls = await page.evaluate(
    () => (window as unknown as { urls: { made: string[]; revoked: string[] } }).urls,
  );
  // StrictMode is off here: one URL per image row, the removed one revoked, the other live.
  expect(urls.made).toHaveLength(2);
  expect(urls.revoked).toEqual([src]);
  await page.close();
});
