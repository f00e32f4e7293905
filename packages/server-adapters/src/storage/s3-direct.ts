import type { Readable } from 'node:stream';
import {
  DirectPartsError,
  type DirectStorage,
  type DirectUploadInfo,
  directPartSize,
} from './direct-storage';
import { isValidFileId } from './file-id';
import { fileMetadata } from './file-metadata';
import { isMissing } from './s3-bucket';
import type { S3Layout } from './s3-layout';

/** The pending record: the upload as the routes see it, and the bucket's upload id. */
interface DirectRecord {
  upload: DirectUploadInfo;
  /** The S3 multipart upload, for `multipart`. */
  uploadId: string | null;
}

/** The bucket side of direct uploads, checked by `s3Storage.dropAbandoned` too. */
export interface S3Direct extends DirectStorage {
  /** Whether a pending direct upload is writing through this multipart upload. */
  holds(id: string, uploadId: string): Promise<boolean>;
}

/**
 * Direct uploads into an `s3Storage`'s bucket: the bytes go to the file's own key
 * (`<prefix><id>`) by a multipart upload whose parts are signed on demand, or by one
 * presigned PUT to a key of the upload's own (`<prefix>.direct/<id>.data`), copied to the
 * file's key on completion: a presigned PUT stays valid after the completion, and one to the
 * file's key would let its client replace the verified bytes (a completed multipart upload
 * takes no more parts). The pending record is `<prefix>.direct/<id>.json`. The file's
 * metadata, written by `publish` only after the routes verified the bytes, is what makes it a
 * file; the record stays, marked `completed`, until the upload's expiry.
 */
export function s3Direct(layout: S3Layout): S3Direct {
  const { bucket, dataKey, metaKey, directPrefix, partSize } = layout;
  const recordKey = (id: string) => `${directPrefix}${id}.json`;
  const putKey = (id: string) => `${directPrefix}${id}.data`;

  async function record(id: string): Promise<DirectRecord | null> {
    return isValidFileId(id) ? bucket.readJson<DirectRecord>(recordKey(id)) : null;
  }

  async function uploadIdOf(upload: DirectUploadInfo): Promise<string> {
    const found = (await record(upload.id))?.uploadId;
    if (!found) throw new Error('The direct upload has no multipart upload');
    return found;
  }

  return {
    partSize,

    async create(upload) {
      if (!isValidFileId(upload.id)) throw new Error('Invalid file id');
      const uploadId =
        upload.kind === 'multipart'
          ? await bucket.createMultipart(dataKey(upload.id), { presigned: true })
          : null;
      await bucket.putJson(recordKey(upload.id), { upload, uploadId } satisfies DirectRecord);
    },

    async get(id) {
      return (await record(id))?.upload ?? null;
    },

    async list() {
      const keys = await bucket.keys(directPrefix);
      const ids = keys
        .filter((key) => key.endsWith('.json'))
        .map((key) => key.slice(directPrefix.length, -'.json'.length));
      const all = await Promise.all(ids.map(record));
      return all.flatMap((found) => (found ? [found.upload] : []));
    },

    async signPut(upload, contentType, expiresIn) {
      const url = await bucket.presignPut(putKey(upload.id), {
        contentType,
        contentLength: upload.size,
        expiresIn,
      });
      return { url, headers: { 'Content-Type': contentType } };
    },

    async signParts(upload, partNumbers, expiresIn) {
      const uploadId = await uploadIdOf(upload);
      return Promise.all(
        partNumbers.map((n) =>
          bucket.presignPart(dataKey(upload.id), uploadId, n, {
            contentLength: directPartSize(upload, n),
            expiresIn,
          }),
        ),
      );
    },

    async listParts(upload) {
      const found = await record(upload.id);
      if (found?.upload.assembled || found?.upload.completed) return [];
      return found?.uploadId ? bucket.listParts(dataKey(upload.id), found.uploadId) : null;
    },

    async assemble(upload, parts) {
      const uploadId = (await record(upload.id))?.uploadId;
      if (upload.kind === 'multipart' && uploadId) {
        try {
          await bucket.completeMultipart(
            dataKey(upload.id),
            uploadId,
            parts.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })),
          );
        } catch (error) {
          // Aborted meanwhile (or completed by another request): nothing to assemble.
          if (isMissing(error)) return null;
          // InvalidPart, InvalidPartOrder, EntityTooSmall: the bucket refused the list.
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
            ?.httpStatusCode;
          if (status !== 400) throw error;
          const name = (error as { name?: string }).name ?? 'InvalidPart';
          throw new DirectPartsError(`The bucket refused the parts (${name})`, { cause: error });
        }
        // The parts are one object now, which `discard` removes if it is refused, and which a
        // completion tried again after a failing check finds as it is.
        const assembled: DirectRecord = { upload: { ...upload, assembled: true }, uploadId: null };
        await bucket.putJson(recordKey(upload.id), assembled);
      } else if (upload.kind === 'put' && !upload.assembled) {
        // Not PUT yet: nothing to assemble. Of another size: refused as it is, never copied
        // (a store that does not enforce the signed length, a PUT cut short that one kept).
        // Else copied, then recorded, then the PUT's own key goes (a completion cut short
        // copies again), and the checks read the copy.
        const putSize = await bucket.size(putKey(upload.id));
        if (putSize === null || putSize !== upload.size) return putSize;
        await bucket.copy(putKey(upload.id), dataKey(upload.id));
        const assembled: DirectRecord = { upload: { ...upload, assembled: true }, uploadId: null };
        await bucket.putJson(recordKey(upload.id), assembled);
        await bucket.remove(putKey(upload.id));
      }
      return bucket.size(dataKey(upload.id));
    },

    read(upload, range): Promise<Readable> {
      return bucket.read(dataKey(upload.id), range);
    },

    async publish(upload, size, meta) {
      const metadata = fileMetadata(upload.id, size, meta);
      await bucket.putJson(metaKey(upload.id), metadata);
      const completed: DirectRecord = { upload: { ...upload, completed: true }, uploadId: null };
      await bucket.putJson(recordKey(upload.id), completed);
      return metadata;
    },

    async discard(upload) {
      const uploadId = (await record(upload.id))?.uploadId;
      if (uploadId) await bucket.abortMultipart(dataKey(upload.id), uploadId);
      // What a PUT sent (again, after the completion too), a copy or the parts put together;
      // never the bytes of a published file.
      if (upload.kind === 'put') await bucket.remove(putKey(upload.id));
      if (!(await bucket.readJson(metaKey(upload.id)))) await bucket.remove(dataKey(upload.id));
      await bucket.remove(recordKey(upload.id));
    },

    async holds(id, uploadId) {
      return (await record(id))?.uploadId === uploadId;
    },
  };
}
