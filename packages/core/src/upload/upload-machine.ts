import type { UploadStatus } from './upload-item';

/** What can happen to an item's status; `uploadItemReducer` moves it only by these, never sets it directly. */
export type UploadEvent = 'start' | 'succeed' | 'fail' | 'cancel' | 'pause' | 'resume' | 'retry';

export const UPLOAD_STATUSES: readonly UploadStatus[] = [
  'queued',
  'uploading',
  'paused',
  'success',
  'error',
  'cancelled',
];

export const UPLOAD_EVENTS: readonly UploadEvent[] = [
  'start',
  'succeed',
  'fail',
  'cancel',
  'pause',
  'resume',
  'retry',
];

/**
 * The item status machine as data: for each status, the events it answers and where they
 * lead. An event missing from a row is illegal in that status and changes nothing.
 */
export const UPLOAD_TRANSITIONS: {
  readonly [S in UploadStatus]: Readonly<Partial<Record<UploadEvent, UploadStatus>>>;
} = {
  queued: { start: 'uploading', cancel: 'cancelled' },
  uploading: { succeed: 'success', fail: 'error', cancel: 'cancelled', pause: 'paused' },
  paused: { resume: 'uploading', cancel: 'cancelled' },
  success: {},
  error: { retry: 'queued' },
  cancelled: { retry: 'queued' },
};

/** The status after `event`; the same status when the event is illegal there. Never throws. */
export function transition(status: UploadStatus, event: UploadEvent): UploadStatus {
  return UPLOAD_TRANSITIONS[status]?.[event] ?? status;
}

/** Whether `event` changes anything in `status`. */
export function canTransition(status: UploadStatus, event: UploadEvent): boolean {
  return UPLOAD_TRANSITIONS[status]?.[event] !== undefined;
}

/** Settled: nothing more happens to the item unless it is retried. */
export function isSettled(status: UploadStatus): boolean {
  return status === 'success' || status === 'error' || status === 'cancelled';
}
