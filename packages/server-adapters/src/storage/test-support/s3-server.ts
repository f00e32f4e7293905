// A real S3 HTTP API on 127.0.0.1 for tests: s3rver over a temporary folder, and an S3Client
// pointed at it. Not part of the package build.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

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

export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

interface KoaContextLike {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
}

/**
 * s3rver 3.7 answers AbortMultipartUpload, ListMultipartUploads and ListParts with 405/501
 * (and completing an unknown upload with a 500).
 * Real S3, MinIO and R2 have them, and they are how "no parts stay" is kept and checked (and
 * how a direct upload resumes), so the test server gains them here, over s3rver's own folder
 * of uploads in progress (`<bucket>/._S3rver_uploads/<uploadId>/` with the key in `key`, each
 * part in a file named by its number, its MD5 beside it).
 */
function addMultipartCalls(server: S3rver, directory: string): void {
  const uploadsDir = (bucket: string) => join(directory, bucket, '._S3rver_uploads');
  const middleware = async (ctx: KoaContextLike, next: () => Promise<void>) => {
    const [bucket, ...rest] = ctx.path.split('/').filter(Boolean);
    if (!bucket) return next();
    if (
      ctx.method === 'POST' &&
      rest.length > 0 &&
      ctx.query.uploadId &&
      !(await stat(join(uploadsDir(bucket), ctx.query.uploadId)).catch(() => null))
    ) {
      // s3rver fails with a 500 on an upload it does not know; S3 says NoSuchUpload.
      ctx.status = 404;
      ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The upload does not exist' } };
      return;
    }
    if (ctx.method === 'DELETE' && rest.length > 0 && ctx.query.uploadId) {
      const folder = join(uploadsDir(bucket), ctx.query.uploadId);
      if (!(await stat(folder).catch(() => null))) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The upload does not exist' } };
        return;
      }
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && rest.length > 0 && ctx.query.uploadId) {
      const folder = join(uploadsDir(bucket), ctx.query.uploadId);
      const names = await readdir(folder).catch(() => null);
      if (!names) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The upload does not exist' } };
        return;
      }
      const numbers = names.filter((name) => /^\d+$/.test(name)).map(Number);
      const found = await Promise.all(
        numbers
          .sort((a, b) => a - b)
          .map(async (n) => {
            // A part still being written has no MD5 yet: not uploaded.
            const md5 = await readFile(join(folder, `${n}.md5`), 'utf8').catch(() => null);
            if (md5 === null) return [];
            const { size, mtime } = await stat(join(folder, String(n)));
            return [
              { PartNumber: n, ETag: `"${md5}"`, Size: size, LastModified: mtime.toISOString() },
            ];
          }),
      );
      const Part = found.flat();
      ctx.body = {
        ListPartsResult: {
          Bucket: bucket,
          Key: rest.join('/'),
          UploadId: ctx.query.uploadId,
          IsTruncated: false,
          Part,
        },
      };
      return;
    }
    if (ctx.method === 'GET' && rest.length === 0 && 'uploads' in ctx.query) {
      const prefix = ctx.query.prefix ?? '';
      const Upload: { Key: string; UploadId: string; Initiated: string }[] = [];
      for (const uploadId of await readdir(uploadsDir(bucket)).catch(() => [])) {
        const folder = join(uploadsDir(bucket), uploadId);
        const key = await readFile(join(folder, 'key'), 'utf8').catch(() => null);
        if (key === null || !key.startsWith(prefix)) continue;
        const { birthtime } = await stat(folder);
        Upload.push({ Key: key, UploadId: uploadId, Initiated: birthtime.toISOString() });
      }
      ctx.body = {
        ListMultipartUploadsResult: { Bucket: bucket, Prefix: prefix, IsTruncated: false, Upload },
      };
      return;
    }
    return next();
  };
  const app = server as unknown as { middleware: unknown[] };
  // Just before s3rver's router, after its XML encoder, so plain objects become XML.
  app.middleware.splice(app.middleware.length - 1, 0, middleware);
}

export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'updown-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_BUCKET, configs: [] }],
  });
  addMultipartCalls(server, directory);
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3Client(endpoint);
  const bucketDir = join(directory, S3_BUCKET);
  let buckets = 0;

  return {
    endpoint,
    bucket: S3_BUCKET,
    client,
    async keys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: S3_BUCKET, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async newBucket() {
      const name = `updown-${++buckets}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async uploadsInProgress() {
      const folder = join(bucketDir, '._S3rver_uploads');
      const ids = await readdir(folder).catch(() => []);
      const uploads = await Promise.all(
        ids.map(async (id) => {
          const key = await readFile(join(folder, id, 'key'), 'utf8').catch(() => '?');
          return `${key} (multipart upload ${id})`;
        }),
      );
      return uploads.sort();
    },
    async close() {
      client.destroy();
      const http = (server as unknown as { httpServer?: Server }).httpServer;
      http?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
