// The local S3 endpoint of the S3 benchmark: s3rver on 127.0.0.1 over a temporary folder, with
// the multipart calls s3rver 3.7 lacks (AbortMultipartUpload, ListMultipartUploads, ListParts)
// served from its own folder of uploads in progress, so every contender runs against the same
// real HTTP API. Not a benchmark: run.mjs runs only `*.bench.mjs`.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function multipartCalls(directory) {
  const uploads = (bucket) => join(directory, bucket, '._S3rver_uploads');
  return async (ctx, next) => {
    const [bucket, ...rest] = ctx.path.split('/').filter(Boolean);
    if (!bucket) return next();
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && rest.length > 0 && uploadId) {
      await rm(join(uploads(bucket), uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && rest.length > 0 && uploadId) {
      const folder = join(uploads(bucket), uploadId);
      const names = await readdir(folder).catch(() => null);
      if (!names) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'No such upload' } };
        return;
      }
      const Part = [];
      for (const name of names.filter((n) => /^\d+$/.test(n)).sort((a, b) => a - b)) {
        const { size } = await stat(join(folder, name));
        const md5 = await readFile(join(folder, `${name}.md5`), 'utf8').catch(() => '');
        Part.push({ PartNumber: Number(name), ETag: `"${md5}"`, Size: size });
      }
      ctx.body = {
        ListPartsResult: {
          Bucket: bucket,
          Key: rest.join('/'),
          UploadId: uploadId,
          IsTruncated: false,
          Part,
        },
      };
      return;
    }
    if (ctx.method === 'GET' && rest.length === 0 && 'uploads' in ctx.query) {
      const Upload = [];
      for (const id of await readdir(uploads(bucket)).catch(() => [])) {
        const key = await readFile(join(uploads(bucket), id, 'key'), 'utf8').catch(() => null);
        if (key !== null) Upload.push({ Key: key, UploadId: id });
      }
      ctx.body = { ListMultipartUploadsResult: { Bucket: bucket, IsTruncated: false, Upload } };
      return;
    }
    return next();
  };
}

/** Starts the endpoint with one bucket; resolves with its URL and a stop. */
export async function startS3Endpoint(bucket) {
  const directory = await mkdtemp(join(tmpdir(), 'updown-s3-bench-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  server.middleware.splice(server.middleware.length - 1, 0, multipartCalls(directory));
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
