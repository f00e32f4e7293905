/// <reference path="./s3rver-module.d.ts" />
// A real S3 HTTP API on 127.0.0.1 for tests of every package: s3rver over a temporary folder,
// with the multipart calls it lacks, and an S3Client pointed at it. Not part of any build.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** The little of a Koa context the middlewares use. */
export interface KoaContextLike {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

/** A Koa middleware run just before s3rver's router (plain objects answered become XML). */
export type S3rverMiddleware = (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>;

/** A part of a multipart upload in progress, as s3rver keeps it in its folder. */
export interface StoredPart {
  partNumber: number;
  size: number;
  /** Quoted, as S3 answers it. */
  etag: string;
  lastModified: Date;
}

export interface S3rverOptions {
  /** The buckets to make, with their configurations (the XML of a CORS rule set...). */
  buckets: { name: string; configs?: (string | Buffer)[] }[];
  /** The test's own middlewares, after the multipart calls, before s3rver's router. */
  middleware?: S3rverMiddleware[];
  /** Passed to the client, beside the endpoint and the credentials. */
  client?: S3ClientConfig;
}

export interface RunningS3rver {
  endpoint: string;
  /** A client of this server; destroyed by `close`. */
  client: S3Client;
  /** Every key in a bucket, sorted (what a user of the bucket would see). */
  keys(bucket: string): Promise<string[]>;
  /**
   * The multipart uploads begun and neither completed nor aborted, by id, with their keys
   * (`null` while s3rver has not written it yet).
   */
  uploadsInProgress(bucket: string): Promise<{ uploadId: string; key: string | null }[]>;
  /**
   * The parts of an upload in progress, in order, each once its bytes are whole (a part still
   * being written has no MD5 yet); `null` when the upload is unknown.
   */
  listParts(bucket: string, uploadId: string): Promise<StoredPart[] | null>;
  /** Where s3rver keeps an upload in progress (its parts, its key). */
  uploadFolder(bucket: string, uploadId: string): string;
  close(): Promise<void>;
}

export function s3Client(endpoint: string, config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ...config,
  });
}

const NO_SUCH_UPLOAD = { Error: { Code: 'NoSuchUpload', Message: 'The upload does not exist' } };

/**
 * s3rver 3.7 answers AbortMultipartUpload, ListMultipartUploads and ListParts with 405/501
 * (and completing an unknown upload with a 500). Real S3, MinIO and R2 have them, and they
 * are how "no parts stay" is kept and checked (and how a direct upload resumes), so the test
 * server gains them here, over s3rver's own folder of uploads in progress
 * (`<bucket>/._S3rver_uploads/<uploadId>/` with the key in `key`, each part in a file named
 * by its number, its MD5 beside it).
 */
function multipartCalls(
  s3: Pick<RunningS3rver, 'listParts' | 'uploadsInProgress' | 'uploadFolder'>,
): S3rverMiddleware {
  // Part PUTs in flight, by upload. s3rver makes the upload's folder, then opens the part's
  // file with no 'error' listener: an abort removing the folder between the two crashed the
  // process with an ENOENT. So an abort waits until each part's file is open (it exists) or
  // its PUT is over, bounded: s3rver never ends a PUT whose client left.
  interface PartPut {
    file: string;
    /** The part's file as it was before this PUT (a part sent again), else `null`. */
    before: { mtimeMs: number; size: number } | null;
    over: Promise<void>;
  }
  const writing = new Map<string, Set<PartPut>>();
  const opened = async ({ file, before, over }: PartPut) => {
    let done = false;
    const end = () => {
      done = true;
    };
    over.then(end, end);
    for (const started = Date.now(); !done && Date.now() - started < 2_000; ) {
      const now = await stat(file).catch(() => null);
      if (now && (!before || now.mtimeMs !== before.mtimeMs || now.size !== before.size)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return async (ctx, next) => {
    const [bucket, ...rest] = ctx.path.split('/').filter(Boolean);
    const uploadId = ctx.query.uploadId;
    if (!bucket) return next();
    const known = async () =>
      uploadId !== undefined && (await stat(s3.uploadFolder(bucket, uploadId)).catch(() => null));
    if (ctx.method === 'PUT' && uploadId) {
      // S3 refuses a part of an upload aborted (s3rver would make its folder again).
      if (!(await known())) {
        ctx.status = 404;
        ctx.body = NO_SUCH_UPLOAD;
        return;
      }
      const parts = writing.get(uploadId) ?? new Set();
      writing.set(uploadId, parts);
      const file = join(s3.uploadFolder(bucket, uploadId), String(ctx.query.partNumber));
      const before = await stat(file).catch(() => null);
      const part: PartPut = { file, before, over: next().then(() => {}) };
      parts.add(part);
      try {
        return await part.over;
      } finally {
        parts.delete(part);
        if (parts.size === 0) writing.delete(uploadId);
      }
    }
    if (ctx.method === 'POST' && rest.length > 0 && uploadId && !(await known())) {
      ctx.status = 404;
      ctx.body = NO_SUCH_UPLOAD;
      return;
    }
    if (ctx.method === 'DELETE' && rest.length > 0 && uploadId) {
      if (!(await known())) {
        ctx.status = 404;
        ctx.body = NO_SUCH_UPLOAD;
        return;
      }
      await Promise.all([...(writing.get(uploadId) ?? [])].map(opened));
      await rm(s3.uploadFolder(bucket, uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && rest.length > 0 && uploadId) {
      const parts = await s3.listParts(bucket, uploadId);
      if (!parts) {
        ctx.status = 404;
        ctx.body = NO_SUCH_UPLOAD;
        return;
      }
      const Part = parts.map((part) => ({
        PartNumber: part.partNumber,
        ETag: part.etag,
        Size: part.size,
        LastModified: part.lastModified.toISOString(),
      }));
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
      const prefix = ctx.query.prefix ?? '';
      const Upload: { Key: string; UploadId: string; Initiated: string }[] = [];
      for (const upload of await s3.uploadsInProgress(bucket)) {
        if (upload.key === null || !upload.key.startsWith(prefix)) continue;
        const { birthtime } = await stat(s3.uploadFolder(bucket, upload.uploadId));
        Upload.push({
          Key: upload.key,
          UploadId: upload.uploadId,
          Initiated: birthtime.toISOString(),
        });
      }
      ctx.body = {
        ListMultipartUploadsResult: { Bucket: bucket, Prefix: prefix, IsTruncated: false, Upload },
      };
      return;
    }
    return next();
  };
}

/** The part of s3rver's FilesystemStore that `durableWrites` replaces and calls. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: unknown;
  }): Promise<{ size: number; md5: string }>;
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    content: Readable,
  ): Promise<{ size: number; md5: string }>;
}

let writes = 0;

/**
 * Writes `content` to `path` whole before resolving, through a file beside it renamed over it,
 * so a read sees the old bytes or the new ones: `{ size, md5 }` of what was written.
 */
async function writeWhole(path: string, content: Buffer | Readable) {
  const md5 = createHash('md5');
  let size = 0;
  // Not ending in `._S3rver_object`, so no listing shows it while it is written.
  const temp = `${path}.writing-${process.pid}-${++writes}`;
  try {
    await pipeline(
      Buffer.isBuffer(content) ? Readable.from([content]) : content,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          md5.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(temp),
    );
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { size, md5: md5.digest('hex') };
}

/**
 * s3rver 3.7 answers a PutObject or UploadPart once the bytes went into a write stream, not
 * once they are in the file (it resolves on the 'finish' of the stream before it), and
 * truncates an object's file before writing it again: a GET just after the answer, on a busy
 * machine, read a short or empty object (an upload's JSON state failed to parse, a 500 in CI).
 * S3 reads what was written once it answers (strong read-after-write consistency), so the
 * test server does too: each write is whole, and replaces the old one in one rename.
 */
function durableWrites(store: FilesystemStore): void {
  store.putObject = async ({ bucket, key, content, metadata }) => {
    const path = store.getResourcePath(bucket, key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const written = await writeWhole(path, content);
    await store.putMetadata(bucket, key, metadata, written.md5);
    return written;
  };
  // No folder made for a part: one whose upload was aborted meanwhile fails, as in S3.
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const path = join(
      store.getResourcePath(bucket, undefined, 'uploads'),
      uploadId,
      String(partNumber),
    );
    const written = await writeWhole(path, content);
    await writeFile(`${path}.md5`, written.md5);
    return written;
  };
}

export async function startS3rver(options: S3rverOptions): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'updown-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map(({ name, configs = [] }) => ({ name, configs })),
  });
  durableWrites((server as unknown as { store: FilesystemStore }).store);
  const uploadFolder = (bucket: string, uploadId: string) =>
    join(directory, bucket, '._S3rver_uploads', uploadId);

  async function listParts(bucket: string, uploadId: string): Promise<StoredPart[] | null> {
    const folder = uploadFolder(bucket, uploadId);
    const names = await readdir(folder).catch(() => null);
    if (!names) return null;
    const numbers = names.filter((name) => /^\d+$/.test(name)).map(Number);
    const found = await Promise.all(
      numbers
        .sort((a, b) => a - b)
        .map(async (n) => {
          const md5 = await readFile(join(folder, `${n}.md5`), 'utf8').catch(() => null);
          if (md5 === null) return [];
          const { size, mtime } = await stat(join(folder, String(n)));
          return [{ partNumber: n, size, etag: `"${md5}"`, lastModified: mtime }];
        }),
    );
    return found.flat();
  }

  async function uploadsInProgress(
    bucket: string,
  ): Promise<{ uploadId: string; key: string | null }[]> {
    const ids = await readdir(join(directory, bucket, '._S3rver_uploads')).catch(() => []);
    const uploads = await Promise.all(
      ids.map(async (uploadId) => {
        const folder = uploadFolder(bucket, uploadId);
        const key = await readFile(join(folder, 'key'), 'utf8').catch(() => null);
        return { uploadId, key };
      }),
    );
    return uploads.sort((a, b) => a.uploadId.localeCompare(b.uploadId));
  }

  const app = server as unknown as { middleware: unknown[] };
  // Just before s3rver's router, after its XML encoder, so plain objects become XML.
  app.middleware.splice(
    app.middleware.length - 1,
    0,
    multipartCalls({ listParts, uploadsInProgress, uploadFolder }),
    ...(options.middleware ?? []),
  );
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3Client(endpoint, options.client);

  return {
    endpoint,
    client,
    async keys(bucket) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    uploadsInProgress,
    listParts,
    uploadFolder,
    async close() {
      client.destroy();
      const http = (server as unknown as { httpServer?: Server }).httpServer;
      http?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
