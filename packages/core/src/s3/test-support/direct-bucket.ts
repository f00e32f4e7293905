// A bucket on 127.0.0.1 (s3rver, CORS open to any origin, ETag exposed) and a small stand-in
// for the app server's direct-to-bucket routes (/coord contract: POST /direct, POST and GET
// /direct/:id/parts, POST /direct/:id/complete, DELETE /direct/:id) that signs with the AWS
// SDK presigner. Not updown's server: the core's tests must not import server-adapters, and
// the real routes are tested against s3Transport in server-adapters' own tests.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type S3rverMiddleware, startS3rver } from '../../../../../test-support/s3rver';

const BUCKET = 'direct-test';
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>`;

/** One request the bucket received: a whole-object PUT (`part: 0`) or an UploadPart. */
export interface BucketRequest {
  key: string;
  part: number;
}

export interface DirectBucketOptions {
  /** Files larger than this go multipart, in parts of this size. Defaults to 256 KiB. */
  partSize?: number;
  /** Declarations over this size are refused at signing (413). */
  maxSize?: number;
  /** Declared types refused at signing (415). */
  refuseTypes?: string[];
  /** A wait before the bucket takes each PUT, so an upload lasts long enough to pause. */
  putDelayMs?: number;
}

export interface DirectBucket {
  /** The stand-in routes under `/api/files/direct`; answers `true` when it handled `req`. */
  route(req: IncomingMessage, res: ServerResponse): boolean;
  /** Every PUT the bucket took (faults included), in order. */
  readonly puts: BucketRequest[];
  /** What the stand-in routes were asked: `create`, `sign 1,2`, `list`, `complete`, `abort`. */
  readonly calls: string[];
  /** Answers the next PUT of this part (0 for a whole object) with a 500, once. */
  failPart(part: number): void;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  /** Multipart uploads neither completed nor aborted. */
  uploadsInProgress(): Promise<string[]>;
  /**
   * Part numbers the bucket holds whole (of their full length) of the multipart uploads in
   * progress: a part cut by an abort may land short, and is sent again.
   */
  storedParts(): Promise<number[]>;
  /** The stored bytes of a completed file. */
  bytes(id: string): Promise<Buffer>;
  close(): Promise<void>;
}

interface Pending {
  key: string;
  name: string;
  size: number;
  type: string;
  fields: Record<string, string>;
  uploadId: string | null;
  partSize: number;
  partCount: number;
}

function json(res: ServerResponse, status: number, body?: unknown): true {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
  return true;
}

function refusal(res: ServerResponse, status: number, code: string, message: string): true {
  return json(res, status, { error: { code, message } });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startDirectBucket(options: DirectBucketOptions = {}): Promise<DirectBucket> {
  const partSize = options.partSize ?? 256 * 1024;
  const puts: BucketRequest[] = [];
  const failing = new Set<number>();
  /** Like S3, a part arriving after its upload was aborted is refused (NoSuchUpload). */
  const aborted = new Set<string>();
  const watch: S3rverMiddleware = async (ctx, next) => {
    if (ctx.method !== 'PUT') return next();
    const part = Number(ctx.query.partNumber ?? 0);
    puts.push({ key: ctx.path, part });
    if (options.putDelayMs) await new Promise((r) => setTimeout(r, options.putDelayMs));
    if (ctx.query.uploadId && aborted.has(ctx.query.uploadId)) {
      ctx.status = 404;
      ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The upload was aborted' } };
      return;
    }
    if (failing.delete(part)) {
      ctx.status = 500;
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.body = { Error: { Code: 'InternalError', Message: 'Injected by the test' } };
      return;
    }
    try {
      await next();
    } finally {
      // A part s3rver was still writing when its upload was aborted does not stay (as in S3).
      const uploadId = ctx.query.uploadId;
      if (uploadId && aborted.has(uploadId))
        await rm(s3.uploadFolder(BUCKET, uploadId), { recursive: true, force: true });
    }
  };
  const s3 = await startS3rver({
    buckets: [{ name: BUCKET, configs: [CORS] }],
    middleware: [watch],
    // A presigned URL must not carry the checksum of an empty body.
    client: { requestChecksumCalculation: 'WHEN_REQUIRED' },
  });
  const { client } = s3;
  const pending = new Map<string, Pending>();
  const calls: string[] = [];

  async function listParts(upload: Pending) {
    const parts = upload.uploadId ? await s3.listParts(BUCKET, upload.uploadId) : null;
    return parts?.map(({ partNumber, size, etag }) => ({ partNumber, size, etag })) ?? null;
  }

  async function drop(upload: Pending) {
    if (upload.uploadId) {
      aborted.add(upload.uploadId);
      await rm(s3.uploadFolder(BUCKET, upload.uploadId), { recursive: true, force: true });
    }
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: upload.key }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [id, action] = path.split('/').filter(Boolean);
    const method = req.method ?? '';
    if (method === 'POST' && !id) {
      calls.push('create');
      const { name, size, type, fields } = await readJson(req);
      if (typeof name !== 'string' || typeof size !== 'number' || typeof type !== 'string') {
        refusal(res, 400, 'malformed-request', 'name, size and type are required');
        return;
      }
      if (options.maxSize !== undefined && size > options.maxSize) {
        refusal(res, 413, 'file-too-large', `${name} is larger than ${options.maxSize} bytes`);
        return;
      }
      if (options.refuseTypes?.includes(type)) {
        refusal(res, 415, 'file-invalid-type', `${name} is not an accepted type`);
        return;
      }
      const newId = randomBytes(16).toString('hex');
      const key = `files/${newId}`;
      const upload: Pending = {
        key,
        name,
        size,
        type,
        fields: (fields ?? {}) as Record<string, string>,
        uploadId: null,
        partSize,
        partCount: Math.ceil(size / partSize),
      };
      pending.set(newId, upload);
      const expiresAt = new Date(Date.now() + 600_000).toISOString();
      if (size <= partSize) {
        const url = await getSignedUrl(
          client,
          new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: type }),
          { expiresIn: 600, signableHeaders: new Set(['content-type']) },
        );
        json(res, 201, {
          id: newId,
          kind: 'put',
          url,
          headers: { 'Content-Type': type },
          expiresAt,
        });
        return;
      }
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: type }),
      );
      upload.uploadId = created.UploadId ?? null;
      json(res, 201, {
        id: newId,
        kind: 'multipart',
        partSize,
        partCount: upload.partCount,
        expiresAt,
      });
      return;
    }
    const upload = id ? pending.get(id) : undefined;
    if (!id || !upload) {
      await readJson(req);
      refusal(res, 404, 'not-found', 'No such upload');
      return;
    }
    if (action === 'parts' && method === 'POST') {
      const { partNumbers } = (await readJson(req)) as { partNumbers: number[] };
      calls.push(`sign ${partNumbers.join(',')}`);
      const parts = await Promise.all(
        partNumbers.map(async (partNumber) => ({
          partNumber,
          url: await getSignedUrl(
            client,
            new UploadPartCommand({
              Bucket: BUCKET,
              Key: upload.key,
              UploadId: upload.uploadId ?? '',
              PartNumber: partNumber,
            }),
            { expiresIn: 600 },
          ),
        })),
      );
      json(res, 200, { parts });
      return;
    }
    if (action === 'parts' && method === 'GET') {
      calls.push('list');
      const parts = await listParts(upload);
      if (!parts) refusal(res, 404, 'not-found', 'No such upload');
      else json(res, 200, { kind: 'multipart', partSize, partCount: upload.partCount, parts });
      return;
    }
    if (action === 'complete' && method === 'POST') {
      calls.push('complete');
      const { parts } = (await readJson(req)) as {
        parts?: { partNumber: number; etag: string }[];
      };
      if (upload.uploadId) {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: upload.key,
            UploadId: upload.uploadId,
            MultipartUpload: {
              Parts: (parts ?? []).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
            },
          }),
        );
      }
      const head = await client
        .send(new HeadObjectCommand({ Bucket: BUCKET, Key: upload.key }))
        .catch(() => null);
      pending.delete(id);
      if (head?.ContentLength !== upload.size) {
        await drop(upload);
        refusal(res, 422, 'validation-failed', 'The stored size is not the declared one');
        return;
      }
      const file = {
        id,
        name: upload.name,
        size: upload.size,
        type: upload.type,
        url: `/api/files/${id}`,
      };
      json(res, 201, { files: [file], fields: upload.fields });
      return;
    }
    if (!action && method === 'DELETE') {
      calls.push('abort');
      pending.delete(id);
      await drop(upload);
      json(res, 204);
      return;
    }
    refusal(res, 405, 'method-not-allowed', 'Not served');
  }

  return {
    route(req, res) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith('/api/files/direct')) return false;
      handle(req, res, url.pathname.slice('/api/files/direct'.length)).catch((error: unknown) => {
        if (!res.headersSent) refusal(res, 500, 'storage-error', String(error));
        else res.destroy();
      });
      return true;
    },
    puts,
    calls,
    failPart: (part) => failing.add(part),
    keys: () => s3.keys(BUCKET),
    async uploadsInProgress() {
      return (await s3.uploadsInProgress(BUCKET)).map((upload) => upload.uploadId).sort();
    },
    async storedParts() {
      const numbers: number[] = [];
      for (const upload of pending.values()) {
        for (const part of (await listParts(upload)) ?? []) {
          const start = (part.partNumber - 1) * upload.partSize;
          const whole = Math.min(upload.size, start + upload.partSize) - start;
          if (part.size === whole) numbers.push(part.partNumber);
        }
      }
      return numbers.sort((a, b) => a - b);
    },
    async bytes(id) {
      const answer = await client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: `files/${id}` }),
      );
      return Buffer.from(await answer.Body!.transformToByteArray());
    },
    close: () => s3.close(),
  };
}

/** The stand-in routes on their own server, for the Node flow: answers its origin. */
export async function serveRoutes(
  bucket: DirectBucket,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (!bucket.route(req, res)) refusal(res, 404, 'not-found', 'Not served');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
