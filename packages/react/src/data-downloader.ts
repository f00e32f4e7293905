import {
  type DownloadDataOptions,
  type Downloader,
  type DownloaderState,
  type DownloadProgress,
  saveBlob,
  toBlob,
  withExtension,
} from '@updown/core';

const NO_PROGRESS: DownloadProgress = {
  loaded: 0,
  total: null,
  percent: null,
  bytesPerSecond: 0,
  etaSeconds: null,
};

/**
 * A downloader for data made on the spot (`{ data, filename, mimeType }`), with the same
 * store shape as the core's `createDownloader`, which takes only URLs. Converting is quick,
 * so progress jumps from 0 to 100.
 */
export function createDataDownloader(options: DownloadDataOptions): Downloader {
  let state: DownloaderState = { status: 'idle', progress: NO_PROGRESS, canResume: false };
  const listeners = new Set<(state: DownloaderState) => void>();
  let run = 0;
  const set = (next: DownloaderState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async start({ save = true } = {}) {
      const mine = ++run;
      set({ status: 'downloading', progress: NO_PROGRESS, canResume: false });
      try {
        const blob = await toBlob(
          options.data,
          options.mimeType,
          options.quality === undefined ? {} : { quality: options.quality },
        );
        if (mine !== run) throw new DOMException('The download was cancelled', 'AbortError');
        const filename = withExtension(options.filename ?? 'download', blob.type);
        if (save && (options.win || typeof window !== 'undefined')) {
          saveBlob(blob, filename, {
            ...(options.win ? { win: options.win } : {}),
            ...(options.revokeDelayMs === undefined
              ? {}
              : { revokeDelayMs: options.revokeDelayMs }),
          });
        }
        const size = blob.size;
        set({
          status: 'success',
          progress: { loaded: size, total: size, percent: 100, bytesPerSecond: 0, etaSeconds: 0 },
          canResume: false,
          blob,
          filename,
        });
        return blob;
      } catch (error) {
        if (mine === run) {
          const message = error instanceof Error ? error.message : String(error);
          set({ ...state, status: 'error', error: { code: 'save-failed', message } });
        }
        throw error;
      }
    },
    cancel() {
      if (state.status !== 'downloading') return;
      run++;
      set({ ...state, status: 'cancelled' });
    },
  };
}
