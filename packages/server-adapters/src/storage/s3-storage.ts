import type { Readable } from 'node:stream';
import { commitSink } from './commit-sink';
import { isValidFileId } from './file-id';
import { fileMetadata } from './file-metadata';
import { notFoundError } from './not-found';
import { s3Direct } from './s3-direct';
import { type S3StorageOptions, s3Layout } from './s3-layout';
import { s3ObjectWriter } from './s3-object-writer';
import { s3Resumable } from './s3-resumable';
import type { ByteRange, DownloadUrlHeaders, FileMetadata, Storage, WriteSink } from './storage';

export type { S3ClientLike } from './s3-bucket';
export type { S3StorageOptions } from './s3-layout';

/**
 * Files in an S3 bucket: `<prefix><id>` with its metadata in `<prefix><id>.json`. Bytes
 * stream into a multipart upload that is completed only at commit, and the metadata object
 * written last publishes the file, so nothing shows before it is complete and accepted; an
 * abort aborts the multipart upload. Several app servers can share one bucket, tus included
 * (its partial uploads live in the bucket too, under `<prefix>.partial/`), and so can
 * direct-to-bucket uploads (their pending records under `<prefix>.direct/`).
 */
export function s3Storage(options: S3StorageOptions): Storage {
  const layout = s3Layout(options);
  const { bucket, dataKey, metaKey, prefix } = layout;

  async function stat(id: string): Promise<FileMetadata | null> {
    return isValidFileId(id) ? bucket.readJson<FileMetadata>(metaKey(id)) : null;
  }

  const resumable = s3Resumable(layout, stat);
  const direct = s3Direct(layout);

  return {
    resumable,
    direct,

    async begin(id: string): Promise<WriteSink> {
      if (!isValidFileId(id)) throw new Error('Invalid file id');
      const writer = s3ObjectWriter({
        bucket,
        key: dataKey(id),
        partSize: layout.partSize,
        queueSize: layout.queueSize,
      });
      return commitSink(id, writer, async (size, meta) => {
        const metadata = fileMetadata(id, size, meta);
        await bucket.putJson(metaKey(id), metadata);
        return metadata;
      });
    },

    stat,

    async createReadStream(id: string, range?: ByteRange): Promise<Readable> {
      if (!isValidFileId(id)) throw notFoundError('Not found');
      return bucket.read(dataKey(id), range);
    },

    async delete(id: string): Promise<boolean> {
      if (!(await stat(id))) return false;
      // The metadata first: once it is gone the file is, even if removing the bytes fails.
      await bucket.remove(metaKey(id));
      await bucket.remove(dataKey(id));
      return true;
    },

    ...(layout.redirectSeconds === null
      ? {}
      : {
          downloadUrl: (meta: FileMetadata, headers: DownloadUrlHeaders) =>
            bucket.presignGet(dataKey(meta.id), headers, layout.redirectSeconds as number),
        }),

    async dropAbandoned(before) {
      let dropped = 0;
      for (const upload of await bucket.multipartUploads(prefix)) {
        const id = upload.key.slice(prefix.length);
        if (upload.initiated >= before || !isValidFileId(id)) continue;
        // A tus upload's parts are its own until it expires or is terminated.
        if (await resumable.holds(id, upload.uploadId)) continue;
        // So are a direct upload's, until its own expiry sweeps it.
        if (await direct.holds(id, upload.uploadId)) continue;
        await bucket.abortMultipart(upload.key, upload.uploadId);
        dropped++;
      }
      return dropped + (await resumable.dropStrayPending(before));
    },

    async list() {
      const keys = await bucket.keys(prefix);
      const ids = keys
        .filter((key) => key.endsWith('.json'))
        .map((key) => key.slice(prefix.length, -'.json'.length));
      const all = await Promise.all(ids.map(stat));
      return all.filter((meta): meta is FileMetadata => meta !== null);
    },
  };
}
