import type { Progress, UploadError, UploadItem } from './upload-item';
import { transition, type UploadEvent } from './upload-machine';

/**
 * Everything that can happen to an item's data. Each action that moves the status names a
 * machine event; `progress` and `resend` keep the status and apply only while uploading.
 */
export type UploadItemAction<R = unknown> =
  /** `queued -> uploading`: a new attempt. */
  | { readonly type: 'start' }
  /** `paused -> uploading`: a new attempt, which finds its own offset. */
  | { readonly type: 'resume' }
  /** Still `uploading`: the uploader tries again after a failure (a new attempt). */
  | { readonly type: 'resend' }
  /** Still `uploading`: the transport counted `loaded` of `total` bytes of its body. */
  | { readonly type: 'progress'; readonly loaded: number; readonly total: number }
  | { readonly type: 'succeed'; readonly response: R }
  | { readonly type: 'fail'; readonly error: UploadError }
  | { readonly type: 'cancel' }
  | { readonly type: 'pause' }
  /** `error | cancelled -> queued`: back in line, from zero. */
  | { readonly type: 'retry' };

/** The machine event of an action (each status-moving action is named for its event); `null` for the two that keep the status. */
function eventOf(type: UploadItemAction['type']): UploadEvent | null {
  return type === 'progress' || type === 'resend' ? null : type;
}

function freshProgress(size: number): Progress {
  return { loaded: 0, total: size, percent: 0 };
}

/** A new item, queued. */
export function createUploadItem<R = unknown>(init: {
  id: string;
  file: File;
  relativePath?: string | undefined;
}): UploadItem<R> {
  const { id, file, relativePath } = init;
  // Each read of a File's getters crosses into the runtime (about 0.4 µs in Node): once each.
  const size = file.size;
  const item: UploadItem<R> = {
    id,
    file,
    name: file.name,
    size,
    type: file.type,
    status: 'queued',
    progress: freshProgress(size),
    attempts: 0,
  };
  return relativePath ? { ...item, relativePath } : item;
}

/** A transport's count of its whole body (multipart overhead included), as bytes of the file. */
function fileBytes(size: number, loaded: number, total: number): number {
  return total > 0 ? Math.min(size, Math.max(0, Math.round((loaded / total) * size))) : 0;
}

/**
 * `next` with the error of `item` cleared. An item that never failed gets no `error` key at
 * all: a key the spread object did not have makes V8 grow it (about 540 bytes instead of
 * 180), and every item is started once.
 */
function withoutError<R>(item: UploadItem<R>, next: UploadItem<R>): UploadItem<R> {
  return item.error === undefined ? next : { ...next, error: undefined };
}

/**
 * Pure: the item after `action`, or the same object when the action is illegal in its
 * status (or changes nothing), so the caller publishes only real changes.
 */
export function uploadItemReducer<R>(
  item: UploadItem<R>,
  action: UploadItemAction<R>,
): UploadItem<R> {
  const event = eventOf(action.type);
  const status = event === null ? item.status : transition(item.status, event);
  if (event === null ? item.status !== 'uploading' : status === item.status) return item;
  switch (action.type) {
    case 'start':
    case 'resume':
    case 'resend':
      return withoutError(item, {
        ...item,
        status,
        attempts: item.attempts + 1,
        progress: freshProgress(item.size),
      });
    case 'progress': {
      const size = item.size;
      const loaded = fileBytes(size, action.loaded, action.total);
      if (loaded === item.progress.loaded) return item;
      return {
        ...item,
        progress: { loaded, total: size, percent: size > 0 ? (loaded / size) * 100 : 0 },
      };
    }
    case 'succeed':
      return {
        ...item,
        status,
        response: action.response,
        progress: { loaded: item.size, total: item.size, percent: 100 },
      };
    case 'fail':
      return { ...item, status, error: action.error };
    case 'retry':
      return withoutError(item, { ...item, status, progress: freshProgress(item.size) });
    case 'cancel':
    case 'pause':
      return { ...item, status };
  }
}
