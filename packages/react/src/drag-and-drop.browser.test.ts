import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../../../test-support/browser-app';
import { type Browser, launchChromium } from '../../../test-support/chromium';
import { dropTwoFiles } from '../../../test-support/drop-two-files';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';

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
    const { page, errors } = await dropTwoFiles(browser, `${server.origin}/`);
    expect(await page.textContent('#drag')).toBe('idle');
    expect(server.completed.filter((path) => path === '/upload').length).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
