/** The few things saving needs from a window; pass your own (an iframe's, a test's) as `win`. */
export interface SaveWindow {
  readonly document: Pick<Document, 'createElement' | 'body'>;
  readonly URL: Pick<typeof URL, 'createObjectURL' | 'revokeObjectURL'>;
  setTimeout(handler: () => void, timeout: number): unknown;
  /** Tells same-origin URLs from others in `download()`. */
  readonly location?: Pick<Location, 'href' | 'origin'>;
}

export interface SaveBlobOptions {
  /** Where to save. Defaults to the global window; nothing is saved where there is none (Node). */
  win?: SaveWindow;
  /**
   * Milliseconds before the object URL is revoked. Revoking right after the click cancels
   * the download in Safari (WebKit bug 211234), so it waits as FileSaver.js does.
   * Defaults to `40_000`.
   */
  revokeDelayMs?: number;
}

/** FileSaver.js's delay: long enough for every browser to have started reading the Blob. */
export const DEFAULT_REVOKE_DELAY_MS = 40_000;

/** The global window when this runs in a browser, `undefined` in Node and workers. */
export function defaultSaveWindow(): SaveWindow | undefined {
  if (typeof window === 'undefined' || typeof document === 'undefined') return undefined;
  return window;
}

/**
 * Saves a Blob as a file through a temporary `<a download>` and an object URL. The URL is
 * revoked after `revokeDelayMs`, or at once when saving throws. Throws when there is no window.
 */
export function saveBlob(blob: Blob, filename: string, options: SaveBlobOptions = {}): void {
  const win = options.win ?? defaultSaveWindow();
  if (!win) throw new Error('saveBlob needs a browser window (pass `win`); there is none here');
  const url = win.URL.createObjectURL(blob);
  try {
    clickDownloadLink(win, url, filename);
  } catch (error) {
    win.URL.revokeObjectURL(url);
    throw error;
  }
  win.setTimeout(
    () => win.URL.revokeObjectURL(url),
    options.revokeDelayMs ?? DEFAULT_REVOKE_DELAY_MS,
  );
}

/** Clicks a detached-after-use `<a href download>`; the browser's own download takes over. */
export function clickDownloadLink(win: SaveWindow, href: string, filename: string): void {
  const link = win.document.createElement('a');
  link.href = href;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  // Firefox ignores clicks on links that are not in the document.
  const parent = win.document.body;
  parent?.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
  }
}
