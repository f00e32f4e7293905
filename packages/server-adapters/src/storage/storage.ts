import type { Readable } from 'node:stream';
import type { DirectStorage } from './direct-storage';
import type { AuthData, CommitMetadata, FileMetadata, JsonValue } from './metadata';
import type { ResumableStorage } from './resumable-storage';

export type { AuthData, CommitMetadata, FileMetadata, JsonValue };

/**
 * A temporary object being written. Nothing of it is visible (to `stat`, `createReadStream`,
 * `list`) until `commit` resolves; `abort` removes every byte of it.
 */
export interface WriteSink {
  readonly id: string;
  /** Bytes accepted so far (buffered or written). */
  readonly bytesWritten: number;
  /**
   * Appends bytes. Returns `undefined` when they were taken at once (buffered), or a promise
   * when the caller must wait before writing more: that is how backpressure reaches the
   * request stream without a promise per chunk. The chunk may be reused once this returns.
   */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /**
   * Optional: told once the last byte is written and the file judged, with its metadata as
   * it stands, before the request's other files are in. A sink may flush, sync and close its
   * temporary object now and get the publish ready (still invisible), so that a `commit`
   * with the same metadata only publishes. Rejects when closing fails; the sink is then to be
   * aborted. No write follows it; `commit` or `abort` always does.
   */
  end?(meta: CommitMetadata): Promise<void>;
  /** Flushes, makes durable, then publishes in one step. */
  commit(meta: CommitMetadata): Promise<FileMetadata>;
  /** Drops the temporary object. Safe to call more than once and after a failed write. */
  abort(): Promise<void>;
}

/** The headers a download's redirect target should answer with. */
export interface DownloadUrlHeaders {
  contentType: string;
  contentDisposition: string;
}

/** An inclusive byte range, as `range-parser` gives it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where files live. `diskStorage` and `memoryStorage` ship; implement this for anything else.
 *
 * Everything is async, so nothing assumes a local disk: an object store fits the same shape
 * (`begin` starts a multipart upload whose parts are the backpressure, `commit` completes it,
 * `abort` aborts it, a ranged `createReadStream` is a ranged GET). tus uploads add the
 * optional `resumable` side below.
 */
export interface Storage {
  /** Starts a temporary object for a new file with this id (fresh and random). */
  begin(id: string): Promise<WriteSink>;
  /** The metadata of a committed file, or `null` when there is none. */
  stat(id: string): Promise<FileMetadata | null>;
  /** The bytes of a committed file, whole or one inclusive range. */
  createReadStream(id: string, range?: ByteRange): Promise<Readable>;
  /** Removes a committed file; `false` when there was none. */
  delete(id: string): Promise<boolean>;
  /** Every committed file. Optional: not every store can list cheaply. */
  list?(): Promise<FileMetadata[]>;
  /**
   * Removes what writes begun before `before` (ms since the epoch) and never finished left
   * behind: a server that died mid-upload leaves a temporary object that no request will
   * complete or abort (on S3, a multipart upload and its parts). Partial tus uploads that
   * still have their state are left to their own expiry. Resolves with how many went.
   */
  dropAbandoned?(before: number): Promise<number>;
  /**
   * A short-lived URL where the client fetches the file itself (s3Storage's `redirect`: a
   * presigned GET), so `GET /:id` answers with a redirect after `authorize` and the
   * conditional checks instead of sending the bytes; `null` to send them. `headers` are the
   * type and name the download policy chose, for the bucket to answer with.
   */
  downloadUrl?(meta: FileMetadata, headers: DownloadUrlHeaders): Promise<string | null>;
  /**
   * Partial tus uploads kept with the files, so offsets survive a restart (diskStorage has
   * one). Without it, tus partials are held in memory and published through `begin`.
   */
  readonly resumable?: ResumableStorage;
  /**
   * Direct-to-bucket uploads: clients send the bytes to presigned URLs and the handler only
   * signs and verifies (`s3Storage` has it). Without it, the `/direct` routes answer 404.
   */
  readonly direct?: DirectStorage;
}
