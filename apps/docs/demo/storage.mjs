import { diskStorage, s3Storage } from '@updown/server-adapters';

/**
 * Where the demo keeps uploads: an S3-compatible bucket when `UPDOWN_S3_BUCKET` is set,
 * else `dataDirectory` on the disk.
 *   UPDOWN_S3_BUCKET             the bucket (it must exist); turns S3 on
 *   UPDOWN_S3_ENDPOINT           e.g. http://127.0.0.1:9000 for MinIO; AWS's when unset
 *   UPDOWN_S3_REGION             defaults to us-east-1 (`auto` for Cloudflare R2)
 *   UPDOWN_S3_ACCESS_KEY_ID      with UPDOWN_S3_SECRET_ACCESS_KEY; else the SDK's own chain
 *   UPDOWN_S3_SECRET_ACCESS_KEY
 *   UPDOWN_S3_PREFIX             put before every key, e.g. `demo/`; none by default
 *   UPDOWN_S3_FORCE_PATH_STYLE   `false` for virtual-hosted buckets; path style by default
 *                                with an endpoint (MinIO, s3rver), AWS's default without
 *
 * @param {{ dataDirectory: string, env?: Record<string, string | undefined> }} options
 * @returns {Promise<{ storage: import('@updown/server-adapters').Storage, where: string }>}
 */
export async function demoStorage({ dataDirectory, env = process.env }) {
  const bucket = env.UPDOWN_S3_BUCKET;
  if (!bucket) return { storage: diskStorage({ directory: dataDirectory }), where: dataDirectory };
  // Loaded only here: a disk-only run never needs the SDK.
  const { S3Client } = await import('@aws-sdk/client-s3');
  const endpoint = env.UPDOWN_S3_ENDPOINT || undefined;
  const accessKeyId = env.UPDOWN_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.UPDOWN_S3_SECRET_ACCESS_KEY;
  const client = new S3Client({
    region: env.UPDOWN_S3_REGION || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: env.UPDOWN_S3_FORCE_PATH_STYLE
      ? env.UPDOWN_S3_FORCE_PATH_STYLE !== 'false'
      : Boolean(endpoint),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
  const prefix = env.UPDOWN_S3_PREFIX ?? '';
  return {
    storage: s3Storage({ client, bucket, prefix }),
    where: `s3://${bucket}/${prefix}${endpoint ? ` at ${endpoint}` : ''}`,
  };
}
