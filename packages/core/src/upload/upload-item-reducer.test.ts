import { describe, expect, it } from 'vitest';
import type { UploadItem, UploadStatus } from './upload-item';
import { createUploadItem, type UploadItemAction, uploadItemReducer } from './upload-item-reducer';
import { UPLOAD_STATUSES } from './upload-machine';

const file = new File([new Uint8Array(1000)], 'a.bin', { type: 'application/octet-stream' });

function item(status: UploadStatus, patch: Partial<UploadItem<string>> = {}): UploadItem<string> {
  return { ...createUploadItem<string>({ id: 'x', file }), status, ...patch };
}

const ACTIONS: UploadItemAction<string>[] = [
  { type: 'start' },
  { type: 'resume' },
  { type: 'resend' },
  { type: 'progress', loaded: 10, total: 100 },
  { type: 'succeed', response: 'ok' },
  { type: 'fail', error: { code: 'http-500', message: 'x', status: 500 } },
  { type: 'cancel' },
  { type: 'pause' },
  { type: 'retry' },
];

// Written out by hand: the status after each legal action; every other pair is ignored.
const LEGAL: Record<string, UploadStatus> = {
  'queued:start': 'uploading',
  'queued:cancel': 'cancelled',
  'uploading:resend': 'uploading',
  'uploading:progress': 'uploading',
  'uploading:succeed': 'success',
  'uploading:fail': 'error',
  'uploading:cancel': 'cancelled',
  'uploading:pause': 'paused',
  'paused:resume': 'uploading',
  'paused:cancel': 'cancelled',
  'error:retry': 'queued',
  'cancelled:retry': 'queued',
};

describe('createUploadItem', () => {
  it('makes a queued item from the file, with its folder path when it has one', () => {
    expect(createUploadItem({ id: 'a', file })).toEqual({
      id: 'a',
      file,
      name: 'a.bin',
      size: 1000,
      type: 'application/octet-stream',
      status: 'queued',
      progress: { loaded: 0, total: 1000, percent: 0 },
      attempts: 0,
    });
    expect(createUploadItem({ id: 'b', file, relativePath: 'dir/a.bin' }).relativePath).toBe(
      'dir/a.bin',
    );
    expect('relativePath' in createUploadItem({ id: 'c', file, relativePath: '' })).toBe(false);
  });
});

describe('uploadItemReducer', () => {
  const cases = UPLOAD_STATUSES.flatMap((status) =>
    ACTIONS.map((action) => [status, action.type, action] as const),
  );

  it.each(cases)('%s + %s', (status, type, action) => {
    const before = item(status);
    const after = uploadItemReducer(before, action);
    const expected = LEGAL[`${status}:${type}`];
    if (expected === undefined) expect(after).toBe(before);
    else expect(after.status).toBe(expected);
  });

  it('starts a new attempt from zero on start, resume and resend', () => {
    const cases: [UploadStatus, UploadItemAction<string>][] = [
      ['queued', { type: 'start' }],
      ['paused', { type: 'resume' }],
      ['uploading', { type: 'resend' }],
    ];
    for (const [status, action] of cases) {
      const before = item(status, {
        attempts: 2,
        progress: { loaded: 400, total: 1000, percent: 40 },
      });
      const after = uploadItemReducer(before, action);
      expect(after).toMatchObject({
        status: 'uploading',
        attempts: 3,
        progress: { loaded: 0, total: 1000, percent: 0 },
      });
      expect(after.error).toBeUndefined();
    }
  });

  it('scales a transport count of its whole body to the file size, and ignores no change', () => {
    const before = item('uploading');
    // A multipart body of 1200 bytes carries the 1000-byte file.
    const half = uploadItemReducer(before, { type: 'progress', loaded: 600, total: 1200 });
    expect(half.progress).toEqual({ loaded: 500, total: 1000, percent: 50 });
    expect(uploadItemReducer(half, { type: 'progress', loaded: 600, total: 1200 })).toBe(half);
    expect(
      uploadItemReducer(before, { type: 'progress', loaded: 5000, total: 1200 }).progress.loaded,
    ).toBe(1000);
    expect(uploadItemReducer(before, { type: 'progress', loaded: 5, total: 0 })).toBe(before);
    const empty = { ...before, size: 0, progress: { loaded: 0, total: 0, percent: 0 } };
    expect(uploadItemReducer(empty, { type: 'progress', loaded: 10, total: 10 })).toBe(empty);
  });

  it('keeps the response on success, the error on failure, the bytes on pause', () => {
    const sending = item('uploading', { progress: { loaded: 400, total: 1000, percent: 40 } });
    expect(uploadItemReducer(sending, { type: 'succeed', response: 'ok' })).toMatchObject({
      status: 'success',
      response: 'ok',
      progress: { loaded: 1000, total: 1000, percent: 100 },
    });
    const error = { code: 'network-error', message: 'down' };
    expect(uploadItemReducer(sending, { type: 'fail', error })).toMatchObject({
      status: 'error',
      error,
      progress: { loaded: 400 },
    });
    expect(uploadItemReducer(sending, { type: 'pause' }).progress.loaded).toBe(400);
  });

  it('puts a failed item back in line from zero on retry, without its error', () => {
    const failed = item('error', {
      attempts: 3,
      error: { code: 'http-500', message: 'x', status: 500 },
      progress: { loaded: 700, total: 1000, percent: 70 },
    });
    const again = uploadItemReducer(failed, { type: 'retry' });
    expect(again).toMatchObject({ status: 'queued', attempts: 3, progress: { loaded: 0 } });
    expect(again.error).toBeUndefined();
  });

  it('never changes the item it is given', () => {
    const before = item('uploading');
    const frozen = Object.freeze({ ...before, progress: Object.freeze({ ...before.progress }) });
    for (const action of ACTIONS) uploadItemReducer(frozen, action);
    expect(frozen).toEqual(before);
  });
});
