/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * What `authorize` returned for the upload of a file (an owner id, a tenant), kept beside it
 * and handed back to `authorize` with the file on each later request about it.
 */
export type AuthData = { [key: string]: JsonValue };

/** What a storage keeps beside each file. */
export interface FileMetadata {
  id: string;
  /** Sanitized client filename. */
  name: string;
  /** MIME type: the declared one, or the sniffed one when `sniff` found it. */
  type: string;
  size: number;
  /**
   * Hex SHA-256 of the bytes, computed while they streamed in; for a direct-to-bucket upload,
   * the one the client declared, verified against the stored bytes, or `''` when it declared
   * none (the server never read them).
   */
  sha256: string;
  /**
   * When the file was stored, in ms since the epoch: its bytes complete and its metadata
   * written (for a file of a multipart request, as its part ended, before the request's answer).
   */
  createdAt: number;
  /** Text fields sent with the upload. */
  fields?: Record<string, string>;
  /** What `authorize` returned for the upload. */
  auth?: AuthData;
  /**
   * Set when the file arrived by tus, for `HEAD /tus/:id` of the finished upload: the
   * client's `Upload-Metadata` (decoded, as sent) and, for the final upload of a
   * concatenation, the ids of the partial uploads it joined, in order, and its
   * `Upload-Concat` as the client sent it.
   */
  tus?: { metadata: Record<string, string>; parts?: string[]; concat?: string };
}

/** What the writer knows at commit time; the sink adds `id`, `size` and `createdAt`. */
export interface CommitMetadata {
  name: string;
  type: string;
  sha256: string;
  fields?: Record<string, string>;
  auth?: AuthData;
  tus?: FileMetadata['tus'];
}
