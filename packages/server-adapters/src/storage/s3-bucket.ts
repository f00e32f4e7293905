import type { Readable } from 'node:stream';
import type {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { notFoundError } from './not-found';
import type { ByteRange } from './storage';

type Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<Sdk> | undefined;

/**
 * The SDK's command classes, loaded on first use: the package's root entry stays importable
 * by an app without the SDK that never calls `s3Storage`. The user's client comes from the
 * same (peer) package, so its commands and ours match.
 */
function loadSdk(): Promise<Sdk> {
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

/**
 * An `S3Client` of `@aws-sdk/client-s3` (v3), as `s3Storage` sees it. Written as a shape
 * rather than the SDK's class, so a project without the optional SDK still type-checks the
 * package's declarations (with `skipLibCheck: false` too).
 */
export interface S3ClientLike {
  send(command: object, options?: object): Promise<unknown>;
  readonly config: object;
}

/** One uploaded part of a multipart upload, as CompleteMultipartUpload wants it back. */
export interface UploadedPart {
  PartNumber: number;
  ETag: string;
  ChecksumCRC32?: string;
}

/** Whether an SDK error means "no such key / upload". */
export function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return (
    e?.$metadata?.httpStatusCode === 404 ||
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchUpload'
  );
}

/**
 * One bucket (and key prefix) seen through the user's client: the few object calls the
 * storages need, each one request. Errors are the SDK's, except a missing key where noted.
 */
export class Bucket {
  private readonly client: S3Client;

  constructor(
    client: S3ClientLike,
    readonly name: string,
  ) {
    // The user's S3Client, typed by its shape in the public API; the SDK's own type here.
    this.client = client as unknown as S3Client;
  }

  /**
   * Whether parts carry CRC32 checksums: the SDK adds them by default (`WHEN_SUPPORTED`),
   * and then the multipart upload must be created for them and completed with them.
   */
  private async checksums(): Promise<boolean> {
    const setting = await this.client.config.requestChecksumCalculation?.();
    return setting !== 'WHEN_REQUIRED';
  }

  async put(key: string, body: Buffer | string, contentType?: string): Promise<void> {
    const { PutObjectCommand } = await loadSdk();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
      }),
    );
  }

  /** The object's bytes, whole or one inclusive range; `ENOENT` when there is no such key. */
  async read(key: string, range?: ByteRange): Promise<Readable> {
    const { GetObjectCommand } = await loadSdk();
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.name,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw notFoundError('Not found');
      throw error;
    }
  }

  /** The whole object in memory (small objects only), or `null` when there is none. */
  async readBytes(key: string, range?: ByteRange): Promise<Buffer | null> {
    let stream: Readable;
    try {
      stream = await this.read(key, range);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw error;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async readJson<T>(key: string): Promise<T | null> {
    const bytes = await this.readBytes(key);
    return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as T);
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.put(key, JSON.stringify(value), 'application/json');
  }

  /** A copy of one key's object at another, made by the bucket (up to 5 GB, as a PUT). */
  async copy(from: string, to: string): Promise<void> {
    const { CopyObjectCommand } = await loadSdk();
    const source = `${this.name}/${from.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.name, Key: to, CopySource: source }),
    );
  }

  /** Removes a key; S3 answers the same whether or not it was there. */
  async remove(key: string): Promise<void> {
    const { DeleteObjectCommand } = await loadSdk();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /** Every key under `prefix`, not below a further `/`, page by page. */
  async keys(prefix: string): Promise<string[]> {
    return (await this.objects(prefix)).map((o) => o.key);
  }

  /** Every object under `prefix`, not below a further `/`, with its last change in ms. */
  async objects(prefix: string): Promise<{ key: string; modified: number }[]> {
    const { ListObjectsV2Command } = await loadSdk();
    const keys: { key: string; modified: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.name,
          Prefix: prefix,
          Delimiter: '/',
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key) keys.push({ key: item.Key, modified: item.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /**
   * A GET of `key` signed for `expiresIn` seconds, answered by the bucket with these headers.
   * The presigner (`@aws-sdk/s3-request-presigner`, an optional peer) loads on first use.
   */
  async presignGet(
    key: string,
    headers: { contentType: string; contentDisposition: string },
    expiresIn: number,
  ): Promise<string> {
    const { GetObjectCommand } = await loadSdk();
    const command = new GetObjectCommand({
      Bucket: this.name,
      Key: key,
      ResponseContentType: headers.contentType,
      ResponseContentDisposition: headers.contentDisposition,
    });
    return this.presign(command, expiresIn);
  }

  /**
   * Signs `command` for `expiresIn` seconds, without the checksum the SDK would add: computed
   * over the empty body of a presigned request, it would make the bucket refuse the real one.
   */
  private async presign(
    command: GetObjectCommand | PutObjectCommand | UploadPartCommand,
    expiresIn: number,
    signableHeaders?: Set<string>,
  ): Promise<string> {
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    type Signable = Parameters<typeof getSignedUrl>[1];
    const signable = command as unknown as Signable;
    signable.middlewareStack.add(
      (next) => (args) => {
        const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
        for (const name of Object.keys(headers)) {
          if (name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm') {
            delete headers[name];
          }
        }
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'updownNoPresignedChecksum' },
    );
    return getSignedUrl(this.client, signable, {
      expiresIn,
      ...(signableHeaders ? { signableHeaders } : {}),
    });
  }

  /**
   * A PUT of the whole object, signed with its `Content-Type` and `Content-Length`: the
   * client must send that type, and the bucket takes no other number of bytes.
   */
  async presignPut(
    key: string,
    signed: { contentType: string; contentLength: number; expiresIn: number },
  ): Promise<string> {
    const { PutObjectCommand } = await loadSdk();
    const command = new PutObjectCommand({
      Bucket: this.name,
      Key: key,
      ContentType: signed.contentType,
      ContentLength: signed.contentLength,
    });
    return this.presign(command, signed.expiresIn, new Set(['content-type', 'content-length']));
  }

  /** An UploadPart of a multipart upload, signed for exactly `contentLength` bytes. */
  async presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    signed: { contentLength: number; expiresIn: number },
  ): Promise<string> {
    const { UploadPartCommand } = await loadSdk();
    const command = new UploadPartCommand({
      Bucket: this.name,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: signed.contentLength,
    });
    return this.presign(command, signed.expiresIn, new Set(['content-length']));
  }

  /** The parts of a multipart upload, in order; `null` when the upload is gone. */
  async listParts(
    key: string,
    uploadId: string,
  ): Promise<{ partNumber: number; size: number; etag: string }[] | null> {
    const { ListPartsCommand } = await loadSdk();
    const parts: { partNumber: number; size: number; etag: string }[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListPartsCommand({
            Bucket: this.name,
            Key: key,
            UploadId: uploadId,
            ...(marker ? { PartNumberMarker: marker } : {}),
          }),
        );
        for (const part of page.Parts ?? []) {
          if (part.PartNumber && part.ETag) {
            parts.push({ partNumber: part.PartNumber, size: part.Size ?? 0, etag: part.ETag });
          }
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** The object's size by a HEAD, or `null` when there is no such key. */
  async size(key: string): Promise<number | null> {
    const { HeadObjectCommand } = await loadSdk();
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: key }));
      return answer.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /**
   * Begins a multipart upload. Its parts carry CRC32 checksums when the SDK adds them, unless
   * `presigned`: parts sent to presigned URLs by a browser carry none.
   */
  async createMultipart(
    key: string,
    options: { presigned?: boolean; contentType?: string } = {},
  ): Promise<string> {
    const { CreateMultipartUploadCommand } = await loadSdk();
    const checksums = !options.presigned && (await this.checksums());
    const answer = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.name,
        Key: key,
        ...(checksums ? { ChecksumAlgorithm: 'CRC32' as const } : {}),
        ...(options.contentType ? { ContentType: options.contentType } : {}),
      }),
    );
    if (!answer.UploadId) throw new Error('CreateMultipartUpload answered no UploadId');
    return answer.UploadId;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
  ): Promise<UploadedPart> {
    const { UploadPartCommand } = await loadSdk();
    const checksums = await this.checksums();
    const answer = await this.client.send(
      new UploadPartCommand({
        Bucket: this.name,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ...(checksums ? { ChecksumAlgorithm: 'CRC32' as const } : {}),
      }),
    );
    if (!answer.ETag) throw new Error(`UploadPart ${partNumber} answered no ETag`);
    return {
      PartNumber: partNumber,
      ETag: answer.ETag,
      ...(answer.ChecksumCRC32 ? { ChecksumCRC32: answer.ChecksumCRC32 } : {}),
    };
  }

  async completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    const { CompleteMultipartUploadCommand } = await loadSdk();
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.name,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: [...parts].sort((a, b) => a.PartNumber - b.PartNumber) },
      }),
    );
  }

  /** Aborts a multipart upload, dropping its parts; one already gone is fine. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    const { AbortMultipartUploadCommand } = await loadSdk();
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.name, Key: key, UploadId: uploadId }),
      );
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** The multipart uploads in progress under `prefix`, for a sweep of abandoned ones. */
  async multipartUploads(
    prefix: string,
  ): Promise<{ key: string; uploadId: string; initiated: number }[]> {
    const { ListMultipartUploadsCommand } = await loadSdk();
    const found: { key: string; uploadId: string; initiated: number }[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.name,
          Prefix: prefix,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
        }),
      );
      for (const u of page.Uploads ?? []) {
        if (u.Key && u.UploadId) {
          found.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated?.getTime() ?? 0 });
        }
      }
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      uploadIdMarker = more ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return found;
  }
}
