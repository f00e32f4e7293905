import type {
  DownloadDataOptions,
  DownloadError,
  Downloader,
  DownloaderOptions,
  DownloaderState,
  DownloadProgress,
  DownloadStatus,
} from '@updown/core';
import {
  type DownloadBindingOptions,
  type DownloadCommands,
  INITIAL_DOWNLOADER_STATE,
  prepareDownload,
  type ReadableStore,
} from '@updown/core/bindings';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSelector } from './use-selector';

export interface UseDownloadOptions extends DownloadBindingOptions {}

export interface UseDownloadResult extends DownloadCommands {
  status: DownloadStatus;
  progress: DownloadProgress;
  error: DownloadError | undefined;
  /** The running (or last) downloader, `null` before the first download. */
  downloader: Downloader | null;
}

const IDLE = INITIAL_DOWNLOADER_STATE;
const idleStore: ReadableStore<DownloaderState> = {
  getState: () => IDLE,
  subscribe: () => () => {},
};

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
  const state = useSelector(downloader ?? idleStore);
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
    const { downloader: next, start } = prepareDownload(args, optionsRef.current);
    activeRef.current = next;
    setDownloader(next);
    return start();
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
