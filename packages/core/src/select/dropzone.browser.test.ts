import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CorePage, openCorePage } from '../../../../test-support/core-page';

interface AddCall {
  files: { name: string; size: number; type: string }[];
  relativePaths: (string | null)[];
}

interface PageWindow {
  lastDragOver?: { prevented: boolean; dropEffect: string };
  calls: AddCall[];
  dropzone: { update(options: { directory?: boolean }): void };
  uploader: {
    getState(): {
      isDragActive: boolean;
      isDragAccept: boolean;
      isDragReject: boolean;
      items: { name: string; relativePath?: string }[];
      rejected: { file: { name: string }; errors: { code: string }[] }[];
    };
    setOptions(options: { rules: { accept: string } }): void;
  };
}

// The page records each add() call, then hands it on to a real uploader.
const PAGE = `<!doctype html><title>dropzone</title>
<body><div id="drop" style="width:300px;height:200px"><span id="label">Drop here</span></div>
<script type="module">
import { createDropzone, createUploader } from '/updown.js';
const real = createUploader({ transport: async () => ({}) });
window.calls = [];
const recording = {
  ...real,
  getState: () => real.getState(),
  getOptions: () => real.getOptions(),
  setDragState: (drag) => real.setDragState(drag),
  add(files, options) {
    const list = Array.from(files);
    window.calls.push({
      files: list.map((f) => ({ name: f.name, size: f.size, type: f.type })),
      relativePaths: (options?.relativePaths ?? []).map((p) => p ?? null),
    });
    return real.add(list, options);
  },
};
window.uploader = real;
window.dropzone = createDropzone(recording);
window.dropzone.attach(document.getElementById('drop'));
// Seen after the dropzone's own listener, while the event is still being dispatched.
document.addEventListener('dragover', (event) => {
  window.lastDragOver = { prevented: event.defaultPrevented, dropEffect: event.dataTransfer.dropEffect };
});
window.updownReady = true;
</script></body>`;

let corePage: CorePage;
let page: Page;
let folder: string;

beforeAll(async () => {
  corePage = await openCorePage({ html: PAGE });
  folder = mkdtempSync(join(tmpdir(), 'updown-dropzone-'));
  mkdirSync(join(folder, 'album', 'sub'), { recursive: true });
  writeFileSync(join(folder, 'album', 'one.txt'), 'first');
  writeFileSync(join(folder, 'album', 'sub', 'two.txt'), 'second!');
  writeFileSync(join(folder, 'loose.txt'), 'solo');
  mkdirSync(join(folder, 'big', 'odd'), { recursive: true });
  for (let i = 0; i < 250; i += 1) {
    writeFileSync(join(folder, 'big', i % 2 ? 'odd' : '', `f${i}.txt`), `#${i}`);
  }
}, 60_000);

afterAll(async () => {
  await corePage?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  await page?.close();
  page = await corePage.openPage();
});

const calls = () => page.evaluate(() => (window as unknown as PageWindow).calls);

describe('createDropzone in Chromium', () => {
  it('a drag and drop of two files reaches add() with their names and sizes', async () => {
    const data = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['hello'], 'hello.txt', { type: 'text/plain' }));
      transfer.items.add(new File([new Uint8Array(1234)], 'pixels.png', { type: 'image/png' }));
      return transfer;
    });
    await page.dispatchEvent('#drop', 'dragenter', { dataTransfer: data });
    // Entering a child, then leaving the root, keeps the drag on.
    await page.dispatchEvent('#label', 'dragenter', { dataTransfer: data });
    await page.dispatchEvent('#drop', 'dragleave', { dataTransfer: data });
    await page.dispatchEvent('#label', 'dragover', { dataTransfer: data });
    const during = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      const { isDragActive, isDragAccept } = w.uploader.getState();
      return { isDragActive, isDragAccept, ...w.lastDragOver };
    });
    // Chromium ignores `dropEffect` on a DataTransfer made by script; the CDP drag below checks it.
    expect(during).toMatchObject({ isDragActive: true, isDragAccept: true, prevented: true });

    await page.dispatchEvent('#label', 'drop', { dataTransfer: data });
    await expect.poll(calls).toHaveLength(1);
    expect((await calls())[0]).toEqual({
      files: [
        { name: 'hello.txt', size: 5, type: 'text/plain' },
        { name: 'pixels.png', size: 1234, type: 'image/png' },
      ],
      relativePaths: [null, null],
    });
    const after = await page.evaluate(() => {
      const state = (window as unknown as PageWindow).uploader.getState();
      return { isDragActive: state.isDragActive, names: state.items.map((i) => i.name) };
    });
    expect(after).toEqual({ isDragActive: false, names: ['hello.txt', 'pixels.png'] });
  });

  it('a real OS-level drag of files and a 250-file folder is walked whole', async () => {
    const box = (await page.locator('#drop').boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await corePage.browser.context.newCDPSession(page);
    const data = {
      items: [],
      files: [join(folder, 'loose.txt'), join(folder, 'big')],
      dragOperationsMask: 1, // copy
    };
    await cdp.send('Input.dispatchDragEvent', { type: 'dragEnter', ...at, data });
    await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...at, data });
    const during = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      return { active: w.uploader.getState().isDragActive, ...w.lastDragOver };
    });
    // Folders carry no type during the drag, so acceptance is unknown, and the drop allowed.
    expect(during).toEqual({ active: true, prevented: true, dropEffect: 'copy' });
    await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...at, data });
    await expect.poll(calls, { timeout: 15_000 }).toHaveLength(1);
    await cdp.detach();
    const [call] = await calls();
    expect(call?.files).toHaveLength(251);
    expect(call?.files[0]).toMatchObject({ name: 'loose.txt', size: 4 });
    expect(call?.relativePaths[0]).toBeNull();
    const paths = new Set(call?.relativePaths.slice(1));
    expect(paths.size).toBe(250);
    for (let i = 0; i < 250; i += 1)
      expect(paths.has(`big/${i % 2 ? 'odd/' : ''}f${i}.txt`)).toBe(true);
    const sizes = Object.fromEntries(call!.relativePaths.map((p, i) => [p, call!.files[i]!.size]));
    expect(sizes['big/odd/f249.txt']).toBe('#249'.length);
  });

  it('a real drag the rules refuse shows reject, and the drop still arrives to say why', async () => {
    await page.evaluate(() =>
      (window as unknown as PageWindow).uploader.setOptions({ rules: { accept: 'image/*' } }),
    );
    const box = (await page.locator('#drop').boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await corePage.browser.context.newCDPSession(page);
    const data = { items: [], files: [join(folder, 'loose.txt')], dragOperationsMask: 1 };
    await cdp.send('Input.dispatchDragEvent', { type: 'dragEnter', ...at, data });
    await cdp.send('Input.dispatchDragEvent', { type: 'dragOver', ...at, data });
    const during = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      return { reject: w.uploader.getState().isDragReject, ...w.lastDragOver };
    });
    expect(during).toEqual({ reject: true, prevented: true, dropEffect: 'copy' });
    await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...at, data });
    await cdp.detach();
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as PageWindow).uploader.getState().isDragActive),
      )
      .toBe(false);
    await expect.poll(calls).toHaveLength(1);
    const rejected = await page.evaluate(() =>
      (window as unknown as PageWindow).uploader
        .getState()
        .rejected.map((r) => [r.file.name, r.errors.map((e) => e.code)]),
    );
    expect(rejected).toContainEqual(['loose.txt', ['file-invalid-type']]);
  });

  it('files set on the hidden input reach add()', async () => {
    await page.setInputFiles('#drop input[type=file]', [
      { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n') },
      { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(300) },
    ]);
    await expect.poll(calls).toHaveLength(1);
    expect((await calls())[0]?.files).toEqual([
      { name: 'a.csv', size: 8, type: 'text/csv' },
      { name: 'b.bin', size: 300, type: 'application/octet-stream' },
    ]);
    // Reset after the change, so the same file chosen again fires again.
    expect(await page.$eval('#drop input[type=file]', (el) => (el as HTMLInputElement).value)).toBe(
      '',
    );
  });

  it('a folder chosen with directory keeps each relative path', async () => {
    await page.evaluate(() =>
      (window as unknown as PageWindow).dropzone.update({ directory: true }),
    );
    expect(await page.$eval('#drop input', (el) => el.hasAttribute('webkitdirectory'))).toBe(true);
    await page.setInputFiles('#drop input[type=file]', join(folder, 'album'));
    await expect.poll(calls).toHaveLength(1);
    const [call] = await calls();
    const byPath = Object.fromEntries(
      (call?.relativePaths ?? []).map((path, i) => [path, call?.files[i]?.size]),
    );
    expect(byPath).toEqual({ 'album/one.txt': 5, 'album/sub/two.txt': 7 });
  });

  it('a real click opens the file dialog, and the chosen files reach add()', async () => {
    const chooser = await nextFileChooser(() => page.click('#drop'));
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'c.txt', mimeType: 'text/plain', buffer: Buffer.from('click') },
    ]);
    await expect.poll(calls).toHaveLength(1);
    expect((await calls())[0]?.files).toEqual([{ name: 'c.txt', size: 5, type: 'text/plain' }]);
  });

  it('Enter on the focused dropzone opens the file dialog', async () => {
    await page.focus('#drop');
    const chooser = await nextFileChooser(() => page.keyboard.press('Enter'));
    await chooser.setFiles([{ name: 'k.txt', mimeType: 'text/plain', buffer: Buffer.from('key') }]);
    await expect.poll(calls).toHaveLength(1);
    expect((await calls())[0]?.files).toEqual([{ name: 'k.txt', size: 3, type: 'text/plain' }]);
  });
});

/**
 * The file chooser `act` opens. Listening for one turns Chromium's chooser interception on
 * by a message of its own that the listener does not wait for; a chooser opened before it
 * lands shows natively and no event comes. A round trip to the page after it makes sure
 * it is in place.
 */
async function nextFileChooser(act: () => Promise<void>): Promise<FileChooser> {
  const chooser = page.waitForEvent('filechooser');
  await page.evaluate(() => undefined);
  const [chosen] = await Promise.all([chooser, act()]);
  return chosen;
}
