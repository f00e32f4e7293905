// A real S3 HTTP API on 127.0.0.1 for this package's tests: the shared s3rver of the root
// test-support (the multipart calls s3rver lacks included) with one bucket, and a client of
// it. Not part of the package build.
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { startS3rver } from '../../../../../test-support/s3rver';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** A client of this server; destroyed by `close`. */
  client: S3Client;
  /** Every key in the bucket, sorted (what a user of the bucket would see). */
  keys(): Promise<string[]>;
  /** Creates a new, empty bucket and answers its name. */
  newBucket(): Promise<string>;
  /** The multipart uploads begun and neither completed nor aborted, as `<key> (multipart upload <id>)`. */
  uploadsInProgress(): Promise<string[]>;
  close(): Promise<void>;
}

export const S3_BUCKET = 'updown-test';

export async function startS3Server(): Promise<S3TestServer> {
  const s3 = await startS3rver({ buckets: [{ name: S3_BUCKET }] });
  let buckets = 0;
  return {
    endpoint: s3.endpoint,
    bucket: S3_BUCKET,
    client: s3.client,
    keys: () => s3.keys(S3_BUCKET),
    async newBucket() {
      const name = `updown-${++buckets}`;
      await s3.client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async uploadsInProgress() {
      const uploads = await s3.uploadsInProgress(S3_BUCKET);
      return uploads
        .map(({ key, uploadId }) => `${key ?? '?'} (multipart upload ${uploadId})`)
        .sort();
    },
    close: () => s3.close(),
  };
}
