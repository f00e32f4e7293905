import { describe, expect, it } from 'vitest';
import {
  DOWNLOAD_TRANSITIONS,
  type DownloadAction,
  downloadReducer,
  INITIAL_DOWNLOADER_STATE,
  makeProgress,
  nextDownloadStatus,
} from './download-machine';
import type { DownloadStatus } from './downloader-types';

const statuses: DownloadStatus[] = ['idle', 'downloading', 'success', 'error', 'cancelled'];
const events: DownloadAction['type'][] = ['start', 'progress', 'succeed', 'fail', 'cancel'];

describe('download status machine', () => {
  const legal: Record<string, DownloadStatus> = {
    'idle start': 'downloading',
    'downloading progress': 'downloading',
    'downloading succeed': 'success',
    'downloading fail': 'error',
    'downloading cancel': 'cancelled',
    'success start': 'downloading',
    'error start': 'downloading',
    'error cancel': 'cancelled',
    'cancelled start': 'downloading',
  };
  const table = statuses.flatMap((status) =>
    events.map((event) => ({ status, event, next: legal[`${status} ${event}`] ?? null })),
  );

  it.each(table)('$status + $event -> $next', ({ status, event, next }) => {
    expect(nextDownloadStatus(status, event)).toBe(next);
  });

  it('is plain data', () => {
    expect(Object.keys(DOWNLOAD_TRANSITIONS).sort()).toEqual([...statuses].sort());
  });
});

describe('downloadReducer', () => {
  const blob = new Blob(['x']);

  it('ignores illegal actions by returning the same state', () => {
    const state = INITIAL_DOWNLOADER_STATE;
    expect(downloadReducer(state, { type: 'succeed', blob, progress: makeProgress(1, 1, 0) })).toBe(
      state,
    );
    expect(downloadReducer(state, { type: 'cancel' })).toBe(state);
  });

  it('walks start -> progress -> fail -> start (resume) -> succeed', () => {
    let state = downloadReducer(INITIAL_DOWNLOADER_STATE, { type: 'start', loaded: 0 });
    state = downloadReducer(state, {
      type: 'progress',
      progress: makeProgress(5, 10, 5),
      filename: 'a.bin',
    });
    expect(state).toMatchObject({
      status: 'downloading',
      filename: 'a.bin',
      progress: { percent: 50, etaSeconds: 1 },
    });
    state = downloadReducer(state, {
      type: 'fail',
      error: { code: 'network-error', message: 'cut' },
      canResume: true,
    });
    expect(state).toMatchObject({
      status: 'error',
      canResume: true,
      error: { code: 'network-error' },
    });
    state = downloadReducer(state, { type: 'start', loaded: 5 });
    expect(state.error).toBeUndefined();
    expect(state).toMatchObject({
      status: 'downloading',
      canResume: false,
      filename: 'a.bin',
      progress: { loaded: 5 },
    });
    state = downloadReducer(state, { type: 'succeed', blob, progress: makeProgress(10, 10, 0) });
    expect(state).toMatchObject({
      status: 'success',
      blob,
      progress: { loaded: 10, percent: 100 },
    });
  });
});

describe('makeProgress', () => {
  it.each([
    { loaded: 0, total: null, bps: 0, percent: null, eta: null },
    { loaded: 50, total: null, bps: 10, percent: null, eta: null },
    { loaded: 25, total: 100, bps: 0, percent: 25, eta: null },
    { loaded: 25, total: 100, bps: 25, percent: 25, eta: 3 },
    { loaded: 0, total: 0, bps: 0, percent: 100, eta: null },
  ])('$loaded of $total at $bps B/s', ({ loaded, total, bps, percent, eta }) => {
    expect(makeProgress(loaded, total, bps)).toEqual({
      loaded,
      total,
      percent,
      bytesPerSecond: bps,
      etaSeconds: eta,
    });
  });
});
