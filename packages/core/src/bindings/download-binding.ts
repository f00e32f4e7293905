import type { DownloadDataOptions } from '../download/download-options';
import { createDownloader } from '../download/downloader';
import type { Downloader, DownloaderOptions } from '../download/downloader-types';

/** Options of a download hook: defaults for each download it starts. */
export interface DownloadBindingOptions extends Partial<DownloaderOptions> {
  /** Save the file when it is complete (in a browser). Defaults to `true`. */
  save?: boolean;
}

/** The commands a download hook hands out. */
export interface DownloadCommands {
  /**
   * Starts a download (cancelling the one running): a URL, with these options over the
   * hook's, or data made on the spot (`{ data, filename, mimeType }`, anything `toBlob` takes).
   * Resolves with the Blob, or `undefined` when it failed or was cancelled (see `error`
   * and `status`): it never rejects, so it is safe to call from an event handler.
   */
  download(args: DownloaderOptions | DownloadDataOptions): Promise<Blob | undefined>;
  cancel(): void;
}

/**
 * One call of a download hook's `download(args)`, in two steps so the hook can watch the
 * downloader before it starts: the downloader (for a URL, `args` over the hook's options;
 * data as given), and `start`, which saves unless the hook's `save` is `false` and resolves
 * `undefined` instead of rejecting.
 */
export function prepareDownload(
  args: DownloaderOptions | DownloadDataOptions,
  options: DownloadBindingOptions,
): { downloader: Downloader; start: () => Promise<Blob | undefined> } {
  const { save = true, ...defaults } = options;
  const downloader = createDownloader('data' in args ? args : { ...defaults, ...args });
  return {
    downloader,
    start: () => downloader.start({ save }).catch(() => undefined),
  };
}
