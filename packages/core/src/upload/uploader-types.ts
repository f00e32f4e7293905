import type { Messages } from '../rules/messages';
import type { FileRejection } from '../rules/rejection';
import type { Rules } from '../rules/rules';
import type { HeaderSource } from '../shared/headers';
import type { Transport } from '../transport/transport';
import type { DragState } from './drag-state';
import type { PrepareFile } from './prepare-files';
import type { Progress, UploadItem, UploadStatus } from './upload-item';

/**
 * Overall status: `idle` with nothing to do, `uploading` while any item sends, `paused` when
 * none sends but some are paused, then `done` or `error`.
 */
export type UploaderStatus = 'idle' | 'uploading' | 'paused' | 'done' | 'error';

export interface AggregateProgress extends Progress {
  /** Smoothed over the last few seconds; 0 before any bytes moved. */
  readonly bytesPerSecond: number;
  /** Seconds left at the current speed; `null` when unknown. */
  readonly etaSeconds: number | null;
}

export interface UploaderState<R = unknown> extends DragState {
  /** In the order they were added. */
  readonly items: readonly UploadItem<R>[];
  /** Files refused by the rules, most recent batch last. */
  readonly rejected: readonly FileRejection<File>[];
  readonly status: UploaderStatus;
  /** Byte-weighted over every item that is not cancelled; never goes backwards during a run. */
  readonly progress: AggregateProgress;
}

export interface RetryOptions {
  /** Total tries for network errors and 5xx answers (never 4xx). Defaults to `3`. */
  attempts?: number;
  /** Wait before try `attempt + 1`, in ms. Defaults to exponential backoff from 1 s, capped at 30 s. */
  delay?: (attempt: number) => number;
}

export interface UploaderOptions<R = unknown> {
  /** Where the default transport POSTs. Required unless `transport` is given. */
  endpoint?: string;
  /**
   * How files are sent. Defaults to `xhrTransport({ endpoint, fieldName, headers,
   * withCredentials })` where `XMLHttpRequest` exists (browsers). Elsewhere (Node, Deno,
   * service workers) pass one: `defaultTransport(...)` (XHR where it exists, else a
   * `FormData` through `fetch`, progress told at the answer) or `fetchTransport(...)`
   * (progress as the bytes go); without one an item fails with `missing-transport`.
   */
  transport?: Transport<R>;
  rules?: Rules<File>;
  /**
   * Replacements for every message the user may see: rejections (`file-too-large`, …) and
   * upload errors (`network-error`, `http-500`, the server's codes), by code or as a
   * function. A code it leaves alone falls back to `rules.messages`, then to English.
   * Defaults to English.
   *
   * @example
   * createUploader({ messages: { 'file-too-large': '{name} is over {maxSize}', 'network-error': 'Offline?' } })
   */
  messages?: Messages;
  /**
   * A step each added file goes through before the rules judge it, such as
   * `resizeImage({ maxWidth: 1600 })`: the rules judge, and the transport sends, the file it
   * answers. A file whose step throws is refused as `prepare-failed`. Defaults to none.
   *
   * @example
   * createUploader({ prepare: resizeImage({ maxWidth: 1600, type: 'image/webp' }), rules: { maxSize: 1_000_000 } })
   */
  prepare?: PrepareFile;
  /** Allow more than one file. Defaults to `true`. */
  multiple?: boolean;
  /** Start uploading as soon as files are accepted. Defaults to `false`. */
  autoUpload?: boolean;
  /** Items sending at once. Defaults to `3`. */
  concurrency?: number;
  /**
   * Retries of a failed send; `false` tries once. A transport that retries by itself
   * (`retriesItself`, as `tusTransport` does by its `retryDelays`) is not retried again.
   */
  retry?: RetryOptions | false;
  /** Form field of the file part. Defaults to `'file'`. */
  fieldName?: string;
  headers?: HeaderSource;
  /** Send cookies cross-origin. Defaults to `false`. */
  withCredentials?: boolean;
  /** Text fields sent with every file, or made per item. */
  metadata?: Record<string, string> | ((item: UploadItem<R>) => Record<string, string>);
  /** Listeners are told at most once per this many ms (the final state is always told). Defaults to one frame, `16`. */
  notifyIntervalMs?: number;
  onItemSuccess?: (item: UploadItem<R>) => void;
  onItemError?: (item: UploadItem<R>) => void;
  onRejected?: (rejections: FileRejection<File>[]) => void;
  /** After every item of a `upload()` call has settled. */
  onComplete?: (items: readonly UploadItem<R>[]) => void;
}

export interface AddResult<R = unknown> {
  accepted: UploadItem<R>[];
  rejected: FileRejection<File>[];
}

export type Listener<S> = (state: S) => void;

export interface Uploader<R = unknown> {
  getState(): UploaderState<R>;
  subscribe(listener: Listener<UploaderState<R>>): () => void;
  /** Judges the files by the rules (async `validate` included) and queues the accepted ones. */
  add(
    files: Iterable<File> | ArrayLike<File>,
    options?: { relativePaths?: readonly (string | undefined)[] },
  ): Promise<AddResult<R>>;
  /** Starts queued items (all when no ids); resolves when they settle. Never rejects. */
  upload(ids?: string | readonly string[]): Promise<readonly UploadItem<R>[]>;
  /** Aborts one item, or every unfinished one. */
  cancel(id?: string): void;
  pause(id: string): void;
  resume(id: string): void;
  retry(id?: string): void;
  remove(id: string): void;
  clear(): void;
  destroy(): void;
  /** Current options; `setOptions` merges new ones in (hooks call it on re-render). */
  getOptions(): Readonly<UploaderOptions<R>>;
  setOptions(options: Partial<UploaderOptions<R>>): void;
  /** Used by `createDropzone`; drag state lives in the uploader's store so one subscription sees all. */
  setDragState(drag: DragState): void;
}

export type { UploadItem, UploadStatus };
