import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleApp } from '../../../test-support/browser-app';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';

// usePreview in Chromium: each row shows its thumbnail, and a removed row's object URL is
// revoked when its owner is cleaned up.
const APP = `
import { For, Show } from 'solid-js';
import html from 'solid-js/html';
import { render } from 'solid-js/web';
import { usePreview, useUpload } from './index';

const revoked = [];
const revoke = URL.revokeObjectURL.bind(URL);
URL.revokeObjectURL = (url) => { revoked.push(url); revoke(url); };
window.revoked = revoked;

function Row(props) {
  const preview = usePreview(() => props.item, { maxSize: 80 });
  return html\`<li>
    <\${Show} when=\${preview}>\${(p) => html\`<img alt=\${props.item.name} src=\${() => p().url} />\`}<//>
    <button type="button" onClick=\${() => props.remove(props.item.id)}>remove \${props.item.name}</button>
  </li>\`;
}

function App() {
  const up = useUpload({ transport: async () => ({}) });
  window.add = up.add;
  return html\`<ul><\${For} each=\${() => up.items}>\${(item) => html\`<\${Row} item=\${item} remove=\${up.remove} />\`}<//></ul>\`;
}
render(App, document.getElementById('root'));
`;

let server: UploadServer;
let browser: Browser;

beforeAll(async () => {
  const app = await bundleApp(APP, dirname(fileURLToPath(import.meta.url)), 'ts');
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
    const canvas = new OffscreenCanvas(800, 400);
    canvas.getContext('2d')!.fillRect(0, 0, 800, 400);
    const file = new File([await canvas.convertToBlob()], 'wide.png', { type: 'image/png' });
    await (window as unknown as { add(files: File[]): Promise<unknown> }).add([file]);
  });
  const wide = page.getByRole('img', { name: 'wide.png' });
  await wide.waitFor();
  await expect
    .poll(() => wide.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([80, 40]);
  const src = await wide.getAttribute('src');
  await page.getByRole('button', { name: 'remove wide.png' }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { revoked: string[] }).revoked))
    .toEqual([src]);
  expect(await page.getByRole('img').count()).toBe(0);
  await page.close();
});
