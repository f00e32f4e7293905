import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { bundleApp } from './test-support/browser-app';
import { startUploadServer, type UploadServer } from './test-support/upload-server';

// The hook from source, the core from its dist, React from node_modules; default transport,
// so Chromium sends with XMLHttpRequest.
const APP = `
import { createRoot } from 'react-dom/client';
import { useUpload } from './index';

function App() {
  const up = useUpload({ endpoint: '/upload', autoUpload: true });
  return (
    <div {...up.getRootProps({ id: 'zone', style: { padding: 40, border: '2px dashed' } })}>
      <input {...up.getInputProps()} />
      <p id="drag">{up.isDragActive ? 'active' : 'idle'}</p>
      <ul>{up.items.map((item) => <li key={item.id} className="row">{item.name + ':' + item.status + ':' + item.progress.percent}</li>)}</ul>
    </div>
  );
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

describe('useUpload in Chromium', () => {
  it('uploads two files dropped with a real DataTransfer', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('#zone');
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a'.repeat(200_000)], 'first.txt', { type: 'text/plain' }));
      dt.items.add(new File(['b'.repeat(1_000)], 'second.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.dispatchEvent('#zone', 'dragenter', { dataTransfer });
    await page.dispatchEvent('#zone', 'dragover', { dataTransfer });
    await page.waitForFunction(() => document.getElementById('drag')?.textContent === 'active');
    await page.dispatchEvent('#zone', 'drop', { dataTransfer });
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('.row'), (li) => li.textContent).join('|') ===
        'first.txt:success:100|second.txt:success:100',
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.textContent('#drag')).toBe('idle');
    expect(server.completed.filter((path) => path === '/upload').length).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
