import type { HeaderSource } from '../shared/headers';
import type { SaveWindow } from './save-blob';

/** `idle -> downloading -> success | error | cancelled`; any of the last three may `start()` again. */
export type DownloadStatus = 'idle' | 'downloading' | 'success' | 'error' | 'cancelled';

export interface DownloadProgress {
  /** Bytes received, counting those kept from an interrupted attempt. */
  readonly loaded: number;
  /** From `Content-Length` (or `Content-Range`); `null` when the server did not say. */
  readonly total: number | null;
  /** 0 to 100; `null` when `total` is unknown. */
  readonly percent: number | null;
  /** Over the last few seconds; 0 before any bytes moved. */
  readonly bytesPerSecond: number;
  /** Seconds left at the current speed; `null` when unknown. */
  readonly etaSeconds: number | null;
}

export interface DownloadError {
  /** The server's error code (`not-found`, `forbidden`, …), `http-<status>`, `network-error` or `save-failed`. */
  readonly code: string;
  readonly message: string;
  /** HTTP status, when there was an answer. */
  readonly status?: number;
}

export interface DownloaderState {
  readonly status: DownloadStatus;
  readonly progress: DownloadProgress;
  readonly error?: DownloadError;
  /** The name the file is (or will be) saved under, once known. */
  readonly filename?: string;
  /** The downloaded file, after `success`. */
  readonly blob?: Blob;
  /** After an `error`: `start()` will continue from the bytes held instead of from zero. */
  readonly canResume: boolean;
}

export interface DownloaderOptions {
  url: string;
  /**
   * Name to save under. Defaults to the server's `Content-Disposition` name, else the URL's
   * last segment, else `download`; an extension is added from the MIME type when it has none.
   */
  filename?: string;
  /** Type of the Blob. Defaults to the response's `Content-Type`. */
  mimeType?: string;
  /** Send cookies: `fetch`'s `credentials`. Defaults to `'same-origin'`. */
  credentials?: RequestCredentials;
  headers?: HeaderSource;
  /**
   * After an interruption, ask only for the missing bytes (`Range` + `If-Range`) when the
   * server answered `Accept-Ranges: bytes` with an `ETag` or `Last-Modified`. Defaults to `true`.
   */
  resume?: boolean;
  /**
   * Where `showSaveFilePicker` exists, ask the user where to save before downloading and
   * write the bytes straight to that file, so memory stays flat. `start()` must then be called
   * from a user gesture. Defaults to `false` (download to a Blob, then save it).
   */
  streamToDisk?: boolean;
  /**
   * Byte counts are told at most once per this many ms, never from inside the read; a new
   * status or a new answer (its name and length) is told at once, and the final state always.
   * Defaults to `16`.
   */
  notifyIntervalMs?: number;
  /** Called with each progress the listeners are told. */
  onProgress?: (progress: DownloadProgress) => void;
  /** See `saveBlob`. Defaults to `40_000`. */
  revokeDelayMs?: number;
  /** The window to save through. Defaults to the global one; nothing is saved without one. */
  win?: SaveWindow;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface StartOptions {
  /** Save the file when it is complete. Ignored where there is no window (Node). Defaults to `true`. */
  save?: boolean;
  /** Aborting it cancels the download, as `cancel()` does. */
  signal?: AbortSignal;
}

export type DownloaderListener = (state: DownloaderState) => void;

export interface Downloader {
  getState(): DownloaderState;
  subscribe(listener: DownloaderListener): () => void;
  /**
   * Downloads (or, after an error, resumes) and resolves with the file as a Blob. Rejects
   * with a `DownloadHttpError`, a network `TypeError`, or an `AbortError` `DOMException` when
   * cancelled. Called while downloading, it returns the running download's promise.
   */
  start(options?: StartOptions): Promise<Blob>;
  /** Aborts the request and drops the bytes held; the status becomes `cancelled`. */
  cancel(): void;
}
