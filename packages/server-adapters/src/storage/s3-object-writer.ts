import type { PartialWriter } from './resumable-storage';
import type { Bucket } from './s3-bucket';
import { PartQueue } from './s3-part-queue';

export interface S3ObjectWriterOptions {
  bucket: Bucket;
  key: string;
  partSize: number;
  queueSize: number;
}

/**
 * A new object streamed into the bucket: a file smaller than one part is one PutObject at
 * close; a larger one is a multipart upload, created when the first part is full and
 * completed at close, so the object exists only once every byte is in. `discard` aborts the
 * multipart upload (its parts go with it), or removes the object when close had completed it.
 */
export function s3ObjectWriter({
  bucket,
  key,
  partSize,
  queueSize,
}: S3ObjectWriterOptions): PartialWriter {
  let upload: Promise<string> | null = null;
  const uploadId = () => {
    upload ??= bucket.createMultipart(key);
    return upload;
  };
  const queue = new PartQueue({
    partSize,
    queueSize,
    firstPartNumber: 1,
    send: async (n, body) => bucket.uploadPart(key, await uploadId(), n, body),
  });
  let written = 0;
  let state: 'open' | 'closing' | 'stored' | 'dropped' = 'open';
  let dropping: Promise<void> | null = null;

  async function drop(): Promise<void> {
    const was = state;
    state = 'dropped';
    await queue.settle();
    if (was === 'stored') {
      await bucket.remove(key);
      return;
    }
    const id = upload ? await upload.catch(() => null) : null;
    if (id) await bucket.abortMultipart(key, id);
  }

  return {
    get bytesWritten() {
      return written;
    },
    write(chunk) {
      if (state !== 'open') return Promise.reject(new Error('write after close or discard'));
      written += chunk.length;
      return queue.write(chunk);
    },
    async close() {
      if (state !== 'open') throw new Error('close after close or discard');
      state = 'closing';
      await queue.drain();
      const rest = queue.takeRest();
      if (!upload) {
        await bucket.put(key, rest);
      } else {
        const id = await upload;
        // The last part may be short; an object of whole parts has no last piece to send.
        const last =
          rest.length > 0 ? [await bucket.uploadPart(key, id, queue.nextPartNumber, rest)] : [];
        await bucket.completeMultipart(key, id, [...queue.parts, ...last]);
      }
      if (state === 'closing') state = 'stored';
      return written;
    },
    discard() {
      dropping ??= drop();
      return dropping;
    },
  };
}
