import {
  createDownloader,
  type DownloadDataOptions,
  type DownloadError,
  type Downloader,
  type DownloaderOptions,
  type DownloaderState,
  type DownloadProgress,
  type DownloadStatus,
} from '@updown/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ReadableStore, useStoreSelector } from './use-store-selector';

export interface UseDownloadOptions extends Partial<DownloaderOptions> {
  /** Save the file when it is complete (in a browser). Defaults to `true`. */
  save?: boolean;
}

export interface UseDownloadResult {
  /**
   * Starts a download (cancelling the one running): a URL, with these options over the
   * hook's, or data made on the spot (`{ data, filename, mimeType }`, anything `toBlob` takes).
   * Resolves with the Blob, or `undefined` when it failed or was cancelled (see `error`
   * and `status`): it never rejects, so it is safe to call from an event handler.
   */
  download(args: DownloaderOptions | DownloadDataOptions): Promise<Blob | undefined>;
  cancel(): void;
  status: DownloadStatus;
  progress: DownloadProgress;
  error: DownloadError | undefined;
  /** The running (or last) downloader, `null` before the first download. */
  downloader: Downloader | null;
}

const IDLE: DownloaderState = {
  status: 'idle',
  progress: { loaded: 0, total: null, percent: null, bytesPerSecond: 0, etaSeconds: null },
  canResume: false,
};
const idleStore: ReadableStore<DownloaderState> = {
  getState: () => IDLE,
  subscribe: () => () => {},
};
const whole = (state: DownloaderState) => state;

/**
 * Downloads a URL with progress and cancel. The running download is cancelled on unmount.
 *
 * @example
 * ```tsx
 * function Export() {
 *   const { download, cancel, status, progress } = useDownload();
 *   return status === 'downloading' ? (
 *     <button type="button" onClick={cancel}>Cancel ({progress.percent ?? '?'}%)</button>
 *   ) : (
 *     <button type="button" onClick={() => download({ url: '/api/files/42', filename: 'report.pdf' })}>
 *       Download
 *     </button>
 *   );
 * }
 * ```
 */
export function useDownload(options: UseDownloadOptions = {}): UseDownloadResult {
  const [downloader, setDownloader] = useState<Downloader | null>(null);
  const state = useStoreSelector(downloader ?? idleStore, whole);
  const optionsRef = useRef(options);
  const activeRef = useRef<Downloader | null>(null);

  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(
    () => () => {
      activeRef.current?.cancel();
      activeRef.current = null;
    },
    [],
  );

  const download = useCallback(async (args: DownloaderOptions | DownloadDataOptions) => {
    activeRef.current?.cancel();
    const { save = true, ...defaults } = optionsRef.current;
    const next = createDownloader('data' in args ? args : { ...defaults, ...args });
    activeRef.current = next;
    setDownloader(next);
    try {
      return await next.start({ save });
    } catch {
      return undefined;
    }
  }, []);

  const cancel = useCallback(() => activeRef.current?.cancel(), []);

  return {
    download,
    cancel,
    status: state.status,
    progress: state.progress,
    error: state.error,
    downloader,
  };
}
