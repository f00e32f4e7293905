import { Bucket, type S3ClientLike } from './s3-bucket';

export interface S3StorageOptions {
  /** Your `S3Client` (AWS S3, MinIO, Cloudflare R2, any S3-compatible service). */
  client: S3ClientLike;
  bucket: string;
  /** Put before every key, e.g. `'uploads/'`. Defaults to none. */
  prefix?: string;
  /**
   * Bytes per multipart part, at least S3's minimum of 5 MiB. Defaults to 8 MiB. Memory per
   * upload stays near `partSize x (queueSize + 1)`.
   */
  partSize?: number;
  /** Parts of one upload sent at once. Defaults to 4. */
  queueSize?: number;
  /**
   * Answer `GET /:id` (after `authorize` and the conditional checks) with a redirect to a
   * presigned GET of the bucket, valid `expiresIn` seconds (default 300), instead of proxying
   * the bytes. Needs `@aws-sdk/s3-request-presigner`. Off by default.
   */
  redirect?: boolean | { expiresIn?: number };
}

/** S3's smallest part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

// Beside the files, under the same prefix, so one listing of the prefix shows what is left.
const PARTIAL_FOLDER = '.partial/';
const DIRECT_FOLDER = '.direct/';

/** Where everything of an `s3Storage` lives in its bucket. */
export interface S3Layout {
  bucket: Bucket;
  prefix: string;
  partSize: number;
  queueSize: number;
  /** A file's bytes: `<prefix><id>`. */
  dataKey(id: string): string;
  /** A file's metadata, whose arrival publishes it: `<prefix><id>.json`. */
  metaKey(id: string): string;
  /** Partial tus uploads' state and pending bytes: `<prefix>.partial/…`. */
  partialPrefix: string;
  /** Pending direct-to-bucket uploads' records: `<prefix>.direct/<id>.json`. */
  directPrefix: string;
  /** Seconds a presigned download URL lives, or `null` when downloads are proxied. */
  redirectSeconds: number | null;
}

export function s3Layout(options: S3StorageOptions): S3Layout {
  const prefix = options.prefix ?? '';
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (partSize < MIN_PART_SIZE) throw new Error('partSize must be at least 5 MiB');
  const queueSize = Math.max(1, options.queueSize ?? 4);
  return {
    bucket: new Bucket(options.client, options.bucket),
    prefix,
    partSize,
    queueSize,
    dataKey: (id) => `${prefix}${id}`,
    metaKey: (id) => `${prefix}${id}.json`,
    partialPrefix: `${prefix}${PARTIAL_FOLDER}`,
    directPrefix: `${prefix}${DIRECT_FOLDER}`,
    redirectSeconds: !options.redirect
      ? null
      : options.redirect === true
        ? 300
        : (options.redirect.expiresIn ?? 300),
  };
}
