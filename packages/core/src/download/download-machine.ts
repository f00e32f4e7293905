import { secondsLeft } from '../shared/speed-meter';
import type {
  DownloadError,
  DownloaderState,
  DownloadProgress,
  DownloadStatus,
} from './downloader-types';

export type DownloadAction =
  | { readonly type: 'start'; readonly loaded: number }
  | { readonly type: 'progress'; readonly progress: DownloadProgress; readonly filename?: string }
  | { readonly type: 'succeed'; readonly blob: Blob; readonly progress: DownloadProgress }
  | { readonly type: 'fail'; readonly error: DownloadError; readonly canResume: boolean }
  | { readonly type: 'cancel' };

/** Every legal move; anything else is ignored. */
export const DOWNLOAD_TRANSITIONS: Readonly<
  Record<DownloadStatus, Readonly<Partial<Record<DownloadAction['type'], DownloadStatus>>>>
> = {
  idle: { start: 'downloading' },
  downloading: { progress: 'downloading', succeed: 'success', fail: 'error', cancel: 'cancelled' },
  success: { start: 'downloading' },
  // Cancelling after an error gives up the bytes kept for a resume.
  error: { start: 'downloading', cancel: 'cancelled' },
  cancelled: { start: 'downloading' },
};

/** The status after `action`, or `null` when the move is not allowed. */
export function nextDownloadStatus(
  status: DownloadStatus,
  action: DownloadAction['type'],
): DownloadStatus | null {
  return DOWNLOAD_TRANSITIONS[status][action] ?? null;
}

const IDLE_PROGRESS: DownloadProgress = {
  loaded: 0,
  total: null,
  percent: null,
  bytesPerSecond: 0,
  etaSeconds: null,
};

export const INITIAL_DOWNLOADER_STATE: DownloaderState = {
  status: 'idle',
  progress: IDLE_PROGRESS,
  canResume: false,
};

/** Pure: the same state object comes back when the action is illegal. */
export function downloadReducer(state: DownloaderState, action: DownloadAction): DownloaderState {
  const status = nextDownloadStatus(state.status, action.type);
  if (status === null) return state;
  switch (action.type) {
    case 'start':
      return {
        status,
        progress: { ...IDLE_PROGRESS, loaded: action.loaded },
        canResume: false,
        ...(state.filename === undefined ? {} : { filename: state.filename }),
      };
    case 'progress':
      return {
        ...state,
        status,
        progress: action.progress,
        ...(action.filename === undefined ? {} : { filename: action.filename }),
      };
    case 'succeed':
      return { ...state, status, progress: action.progress, blob: action.blob, canResume: false };
    case 'fail':
      return { ...state, status, error: action.error, canResume: action.canResume };
    case 'cancel':
      return {
        status,
        progress: { ...state.progress, bytesPerSecond: 0, etaSeconds: null },
        canResume: false,
        ...(state.filename === undefined ? {} : { filename: state.filename }),
      };
  }
}

/** Progress figures from bytes, with percent only when the total is known. */
export function makeProgress(
  loaded: number,
  total: number | null,
  bytesPerSecond: number,
): DownloadProgress {
  const percent = total === null ? null : total === 0 ? 100 : Math.min(100, (loaded / total) * 100);
  const etaSeconds = secondsLeft(total === null ? null : total - loaded, bytesPerSecond);
  return { loaded, total, percent, bytesPerSecond, etaSeconds };
}
