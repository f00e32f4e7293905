import { describe, expect, it } from 'vitest';
import type { UploadStatus } from './upload-item';
import {
  canTransition,
  isSettled,
  transition,
  UPLOAD_EVENTS,
  UPLOAD_STATUSES,
  type UploadEvent,
} from './upload-machine';

// Written out by hand, independently of the table in upload-machine.ts: every legal move.
const LEGAL: Record<string, UploadStatus> = {
  'queued:start': 'uploading',
  'queued:cancel': 'cancelled',
  'uploading:succeed': 'success',
  'uploading:fail': 'error',
  'uploading:cancel': 'cancelled',
  'uploading:pause': 'paused',
  'paused:resume': 'uploading',
  'paused:cancel': 'cancelled',
  'error:retry': 'queued',
  'cancelled:retry': 'queued',
};

describe('upload status machine', () => {
  const cases = UPLOAD_STATUSES.flatMap((status) =>
    UPLOAD_EVENTS.map((event) => [status, event] as [UploadStatus, UploadEvent]),
  );

  it('covers 6 statuses × 7 events', () => {
    expect(cases).toHaveLength(42);
  });

  it.each(cases)('%s + %s', (status, event) => {
    const expected = LEGAL[`${status}:${event}`];
    expect(transition(status, event)).toBe(expected ?? status);
    expect(canTransition(status, event)).toBe(expected !== undefined);
  });

  it('never throws on statuses or events it does not know', () => {
    expect(transition('bogus' as UploadStatus, 'start')).toBe('bogus');
    expect(transition('queued', 'explode' as UploadEvent)).toBe('queued');
  });

  it('knows which statuses are settled', () => {
    expect(UPLOAD_STATUSES.filter(isSettled)).toEqual(['success', 'error', 'cancelled']);
  });
});
