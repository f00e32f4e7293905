import type { Progress, UploadItem } from '@updown/core';

/** Byte-weighted progress of the items given (one mutation's batch). */
export function batchProgress<R>(items: readonly UploadItem<R>[]): Progress {
  let loaded = 0;
  let total = 0;
  for (const item of items) {
    loaded += item.progress.loaded;
    total += item.progress.total || item.size;
  }
  const percent = total === 0 ? 0 : Math.min(100, Math.round((loaded / total) * 1000) / 10);
  return { loaded, total, percent };
}
