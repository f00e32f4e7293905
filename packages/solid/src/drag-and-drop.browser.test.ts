import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../../../test-support/browser-app';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { dropTwoFiles } from '../../../test-support/drop-two-files';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';

// No JSX to compile: solid-js/html builds the same DOM at run time. Default transport, so
// Chromium sends with XMLHttpRequest.
const APP = `
import { For } from 'solid-js';
import html from 'solid-js/html';
import { render } from 'solid-js/web';
import { useUpload } from './index';

function App() {
  const up = useUpload({ endpoint: '/upload', autoUpload: true });
  return html\`<div ...\${up.getRootProps({ id: 'zone', style: { padding: '40px', border: '2px dashed' } })}>
    <input ...\${up.getInputProps()} />
    <p id="drag">\${() => (up.isDragActive ? 'active' : 'idle')}</p>
    <ul><\${For} each=\${() => up.items}>\${(item) =>
      html\`<li class="row">\${() => item.name + ':' + item.status + ':' + item.progress.percent}</li>\`}<//></ul>
  </div>\`;
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

describe('useUpload (Solid) in Chromium', () => {
  it('uploads two files dropped with a real DataTransfer', async () => {
    const { page, errors } = await dropTwoFiles(browser, `${server.origin}/`);
    expect(await page.textContent('#drag')).toBe('idle');
    expect(await page.getAttribute('#zone', 'role')).toBe('button');
    expect(server.completed.filter((path) => path === '/upload').length).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
