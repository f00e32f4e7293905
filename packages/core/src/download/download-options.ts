import type { DownloadProgress } from './downloader-types';
import type { SaveWindow } from './save-blob';
import type { DownloadData } from './to-blob';

interface CommonDownloadOptions {
  /** See `saveBlob`. Defaults to `40_000`. */
  revokeDelayMs?: number;
  /** The window to save through. Defaults to the global one. */
  win?: SaveWindow;
}

export interface DownloadUrlOptions extends CommonDownloadOptions {
  url: string;
  /**
   * Name to save under. With a link, a server's `Content-Disposition` name wins over it in
   * browsers: pass `via: 'fetch'` to rename such a file for sure.
   */
  filename?: string;
  /**
   * `'link'` hands the URL to the browser through `<a download>`: no memory used, no progress.
   * `'fetch'` downloads it here (with progress and `credentials`), then saves the Blob.
   * `'auto'` links same-origin URLs and fetches cross-origin ones (where browsers ignore
   * `download`), or when `onProgress`, `signal` or `streamToDisk` is given. Defaults to `'auto'`.
   */
  via?: 'auto' | 'link' | 'fetch';
  /** For fetched downloads: `fetch`'s `credentials`. Defaults to `'same-origin'`. */
  credentials?: RequestCredentials;
  headers?: Record<string, string>;
  /** Byte progress. Reading the bytes in the page to count them costs time: leave it out when unused. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting it cancels a fetched download (the promise rejects with an `AbortError`). */
  signal?: AbortSignal;
  /** For fetched downloads: see `createDownloader`. Defaults to `false`. */
  streamToDisk?: boolean;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface DownloadDataOptions extends CommonDownloadOptions {
  /** Anything `toBlob` takes. */
  data: DownloadData;
  /** Defaults to `download`; an extension is added from the MIME type when it has none. */
  filename?: string;
  /** Type of the file; for images, the encoding. Defaults to what `toBlob` picks for the data. */
  mimeType?: string;
  /** For JPEG and WebP images, 0 to 1. */
  quality?: number;
}

export type DownloadOptions = DownloadUrlOptions | DownloadDataOptions;
