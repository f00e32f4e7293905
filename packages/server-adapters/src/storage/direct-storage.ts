import type { Readable } from 'node:stream';
import type { AuthData, CommitMetadata, FileMetadata } from './metadata';

/**
 * A direct-to-bucket upload that was signed and is not finished yet, as its pending record
 * keeps it (in the bucket, so any app server can continue it). Handed to `authorize` as
 * `ctx.file` for the requests about it, with what `authorize` returned at its creation.
 */
export interface DirectUploadInfo {
  /** The future file id. */
  id: string;
  /** `put`: one presigned PUT of the whole file; `multipart`: an S3 multipart upload. */
  kind: 'put' | 'multipart';
  /** Sanitized client filename. */
  name: string;
  /** The declared MIME type. */
  type: string;
  /** The declared size in bytes. */
  size: number;
  /** The declared hex SHA-256, verified at completion when given. */
  sha256?: string;
  /** Text fields sent with the creation, kept with the file. */
  fields?: Record<string, string>;
  /** What `authorize` returned for the creation. */
  auth?: AuthData;
  /** Bytes per part (every part but the last); the whole size for a `put`. */
  partSize: number;
  partCount: number;
  /** In ms since the epoch. */
  createdAt: number;
  /** When the upload is abandoned and swept, in ms since the epoch. */
  expiresAt: number;
  /**
   * The parts are one object already: a completion put them together, then failed (the
   * bucket, not a refusal), and may be tried again.
   */
  assembled?: boolean;
  /**
   * Completed: the file is published. The record stays until `expiresAt`, so that a
   * completion asked again (a lost answer, a second request at the same moment) is answered
   * the same, and an abort is told it came too late.
   */
  completed?: boolean;
}

/** A part the bucket holds for a multipart direct upload. */
export interface DirectPart {
  partNumber: number;
  size: number;
  etag: string;
}

/** A part as the client names it to complete the upload. */
export interface DirectPartRef {
  partNumber: number;
  etag: string;
}

/**
 * The bucket side of direct-to-bucket uploads: what a storage needs to let clients send a
 * file's bytes straight to it (`s3Storage` has one). The bytes land where the file will live;
 * nothing is a file until `publish` writes its metadata.
 */
export interface DirectStorage {
  /** Bytes per part of a multipart direct upload (the storage's `partSize`). */
  readonly partSize: number;
  /** Begins the upload (a multipart upload for `multipart`) and keeps its pending record. */
  create(upload: DirectUploadInfo): Promise<void>;
  /**
   * The upload's record: pending, or `completed` until its expiry; `null` when there is none
   * (never made, aborted, refused, expired).
   */
  get(id: string): Promise<DirectUploadInfo | null>;
  /** Every record, pending or completed, for the sweep. */
  list(): Promise<DirectUploadInfo[]>;
  /**
   * A presigned PUT of the whole file, signed with `contentType` and the declared size (the
   * bucket refuses other bytes), and the headers the client must send with it.
   */
  signPut(
    upload: DirectUploadInfo,
    contentType: string,
    expiresIn: number,
  ): Promise<{ url: string; headers: Record<string, string> }>;
  /** Presigned UploadPart URLs, valid `expiresIn` seconds, each for its part's exact size. */
  signParts(
    upload: DirectUploadInfo,
    partNumbers: readonly number[],
    expiresIn: number,
  ): Promise<string[]>;
  /**
   * The parts the bucket holds so far, in order (none once `assembled`); `null` when the
   * multipart upload is gone (aborted by someone else).
   */
  listParts(upload: DirectUploadInfo): Promise<DirectPart[] | null>;
  /**
   * Puts the parts together into the file's object (a `put`, or an upload `assembled`
   * already, has nothing to do); resolves with the object's size, or `null` when there is
   * nothing to assemble (the PUT did not happen, the multipart upload is gone). Throws
   * a `DirectPartsError` when the parts named do not make the upload; it stays as it was.
   */
  assemble(upload: DirectUploadInfo, parts: readonly DirectPartRef[]): Promise<number | null>;
  /** The stored bytes, whole or one inclusive range (a `ByteRange`), before they are published. */
  read(upload: DirectUploadInfo, range?: { start: number; end: number }): Promise<Readable>;
  /**
   * Writes the file's metadata (the file is visible from then on) and marks the record
   * `completed`.
   */
  publish(upload: DirectUploadInfo, size: number, meta: CommitMetadata): Promise<FileMetadata>;
  /**
   * Drops everything of the upload: its parts or object, and its record; the bytes of a
   * published file stay (a `completed` record goes alone).
   */
  discard(upload: DirectUploadInfo): Promise<void>;
}

/** The parts a completion named are missing, wrong or too small: the client's to fix. */
export class DirectPartsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectPartsError';
  }
}

/** The bytes part `n` of a direct upload holds: `partSize`, but the last one what is left. */
export function directPartSize(upload: DirectUploadInfo, n: number): number {
  return n < upload.partCount
    ? upload.partSize
    : upload.size - (upload.partCount - 1) * upload.partSize;
}
