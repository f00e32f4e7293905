import type { Readable } from 'node:stream';
import type { AuthData, CommitMetadata, FileMetadata } from './metadata';

/** What a tus upload remembers besides its bytes; persisted with them. */
export interface PartialState {
  /** Total bytes, or `null` while the client defers it (`Upload-Defer-Length`). */
  length: number | null;
  /** The client's `Upload-Metadata`, decoded (kept as sent, for HEAD). */
  metadata: Record<string, string>;
  /** Sanitized filename. */
  name: string;
  /** Declared MIME type. */
  type: string;
  /** ms since the epoch. */
  createdAt: number;
  /** ms since the epoch after which the upload may be swept; `null` never. */
  expiresAt: number | null;
  /**
   * `'partial'`: one piece of a parallel upload (concatenation extension), never published
   * by itself but joined by a later final upload.
   */
  concat?: 'partial';
  /** What `authorize` returned for the creation; the published file keeps it. */
  auth?: AuthData;
}

export interface PartialInfo extends PartialState {
  id: string;
  /** Bytes stored so far: the tus offset. */
  offset: number;
}

/** Bytes appended at the end of a partial upload, one request's worth. */
export interface PartialWriter {
  /** Bytes taken by this writer so far. */
  readonly bytesWritten: number;
  /**
   * Appends bytes. `undefined` when taken at once, a promise when the caller must wait
   * (backpressure). The chunk may be reused once this returns.
   */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** Flushes every byte written and closes: the offset grows by `bytesWritten`. */
  close(): Promise<number>;
  /** Drops every byte of this writer: the offset stays where it was before it opened. */
  discard(): Promise<void>;
}

/**
 * What tus needs from a storage on top of `Storage`: partial uploads that outlive a request
 * (and, on disk, a restart), appended to in order, then published as a normal file with the
 * same id, so `stat`/`createReadStream` serve it like a multipart upload.
 */
export interface ResumableStorage {
  createPartial(id: string, state: PartialState): Promise<void>;
  /** `null` when there is no partial upload with this id (never was, published, or deleted). */
  getPartialInfo(id: string): Promise<PartialInfo | null>;
  updatePartial(
    id: string,
    patch: Partial<Pick<PartialState, 'length' | 'expiresAt'>>,
  ): Promise<void>;
  /** A writer appending at `offset`, which must be the current offset. */
  appendAt(id: string, offset: number): Promise<PartialWriter>;
  /** The bytes stored so far (for a hash computed at publish). */
  readPartial(id: string): Promise<Readable>;
  /** Makes the partial a committed file in one step and forgets the partial state. */
  publish(id: string, meta: CommitMetadata): Promise<FileMetadata>;
  /** `false` when there was none. */
  deletePartial(id: string): Promise<boolean>;
  listPartials(): Promise<PartialInfo[]>;
}
