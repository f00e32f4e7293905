import type { RejectionError } from '../rules/rejection';

export type UploadStatus = 'queued' | 'uploading' | 'paused' | 'success' | 'error' | 'cancelled';

export interface Progress {
  readonly loaded: number;
  readonly total: number;
  /** 0 to 100. */
  readonly percent: number;
}

export interface UploadError {
  /** The server's error code (`file-too-large`, …), `network-error`, or `http-<status>`. */
  readonly code: string;
  readonly message: string;
  /** HTTP status, when there was an answer. */
  readonly status?: number;
}

export interface UploadItem<R = unknown> {
  readonly id: string;
  readonly file: File;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly relativePath?: string;
  readonly status: UploadStatus;
  readonly progress: Progress;
  /** How many times sending was started. */
  readonly attempts: number;
  readonly error?: UploadError;
  readonly response?: R;
}

export type { RejectionError };
