import { responseFilename } from './download-filename';
import { DownloadHttpError } from './download-http-error';
import type { DownloadOptions, DownloadUrlOptions } from './download-options';
import { createDownloader } from './downloader';
import { clickDownloadLink, defaultSaveWindow, type SaveWindow, saveBlob } from './save-blob';

/**
 * Saves a file in the browser, from a URL or from data made on the spot. Resolves once the
 * browser has been handed the file. For progress, cancel and resume in a store, use
 * `createDownloader`. Needs a window: it throws in Node.
 *
 * @example
 * await download({ url: '/api/files/abc', filename: 'report.pdf' })
 * await download({ data: rows, filename: 'rows' })              // rows.json
 * await download({ data: canvas, filename: 'chart', mimeType: 'image/jpeg' })
 */
export async function download(options: DownloadOptions): Promise<void> {
  const win = options.win ?? defaultSaveWindow();
  if (!win) {
    throw new Error(
      'download() saves a file and needs a browser window; elsewhere use toBlob() or createDownloader().start({ save: false })',
    );
  }
  if ('data' in options) {
    await createDownloader({ ...options, win }).start();
    return;
  }
  if (shouldLink(options, win)) {
    clickDownloadLink(win, options.url, options.filename ?? '');
    return;
  }
  if (!options.onProgress && !options.streamToDisk) {
    // Nobody watches the bytes: let the browser build the Blob without passing every chunk
    // through the page (twice as fast in Chromium, and nothing held in the page's memory).
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const response = await fetchImpl(options.url, {
      credentials: options.credentials ?? 'same-origin',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok) throw await DownloadHttpError.fromResponse(response);
    const blob = await response.blob();
    const filename = responseFilename(response, options.url, blob.type, options.filename);
    saveBlob(blob, filename, { win, revokeDelayMs: options.revokeDelayMs });
    return;
  }
  const downloader = createDownloader({
    url: options.url,
    win,
    revokeDelayMs: options.revokeDelayMs,
    filename: options.filename,
    credentials: options.credentials,
    headers: options.headers,
    onProgress: options.onProgress,
    streamToDisk: options.streamToDisk,
    fetch: options.fetch,
  });
  await downloader.start({ save: true, ...(options.signal ? { signal: options.signal } : {}) });
}

function shouldLink(options: DownloadUrlOptions, win: SaveWindow): boolean {
  const via = options.via ?? 'auto';
  if (via !== 'auto') return via === 'link';
  if (options.onProgress || options.streamToDisk || options.signal) return false;
  const here = win.location;
  if (!here) return false;
  try {
    return new URL(options.url, here.href).origin === here.origin;
  } catch {
    return false;
  }
}
