import { Readable } from 'node:stream';
import { isValidFileId } from './file-id';
import { fileMetadata } from './file-metadata';
import { notFoundError } from './not-found';
import type {
  PartialInfo,
  PartialState,
  PartialWriter,
  ResumableStorage,
} from './resumable-storage';
import type { UploadedPart } from './s3-bucket';
import type { S3Layout } from './s3-layout';
import { PartQueue } from './s3-part-queue';
import type { CommitMetadata, FileMetadata } from './storage';

/** Where a partial upload's bytes are, beside its tus state; all of it in one JSON object. */
interface Placement {
  /** The multipart upload on the file's own key, once a full part was sent. */
  uploadId: string | null;
  /** Its parts, each `partSize` bytes, in order. */
  parts: UploadedPart[];
  /** Bytes after the parts, fewer than a part, kept in the pending object. */
  pending: number;
  /**
   * Once every byte is in the file's own object (the multipart upload was completed), its
   * size: readable then, yet not a file until its metadata is written. `null` before.
   */
  sealed: number | null;
}

interface PartialRecord {
  state: PartialState;
  placement: Placement;
}

const STATE_SUFFIX = '.tus.json';

/**
 * Partial tus uploads in the bucket, so any server can take the next PATCH: the state and
 * where the bytes are in `<prefix>.partial/<id>.tus.json`; full parts in a multipart upload
 * on the file's own key; the bytes after them (S3 refuses parts under 5 MiB but the last) in
 * a pending object, read back and sent first by the next PATCH, as `@tus/s3-store` does.
 * The state is written last: a server that dies mid-PATCH leaves the old state, whose parts
 * and pending object are still there (a retried part overwrites the one with its number).
 */
export interface S3Resumable extends ResumableStorage {
  /** Whether the partial upload `id` is writing through this multipart upload. */
  holds(id: string, uploadId: string): Promise<boolean>;
  /**
   * Removes pending objects written before `before` that no state points at (a server died
   * between writing a PATCH's pending bytes and its state, or before removing the ones they
   * replaced); resolves with how many went.
   */
  dropStrayPending(before: number): Promise<number>;
}

export function s3Resumable(
  layout: S3Layout,
  stat: (id: string) => Promise<FileMetadata | null>,
): S3Resumable {
  const { bucket, partSize, queueSize, dataKey, metaKey, partialPrefix } = layout;
  const stateKey = (id: string) => `${partialPrefix}${id}${STATE_SUFFIX}`;
  // Named by where the pending bytes start: a new set of them never overwrites the set the
  // current state points at, so a crash between the two writes leaves a consistent pair.
  const pendingKey = (id: string, start: number) => `${partialPrefix}${id}.pending.${start}`;
  const storedBytes = (p: Placement) => p.parts.length * partSize + p.pending;

  function checkId(id: string): void {
    if (!isValidFileId(id)) throw notFoundError('Invalid file id');
  }

  async function read(id: string): Promise<PartialRecord | null> {
    return isValidFileId(id) ? bucket.readJson<PartialRecord>(stateKey(id)) : null;
  }

  async function existing(id: string): Promise<PartialRecord> {
    const record = await read(id);
    if (!record) throw notFoundError('No such upload');
    return record;
  }

  const write = (id: string, record: PartialRecord) => bucket.putJson(stateKey(id), record);

  async function pendingBytes(id: string, p: Placement): Promise<Buffer> {
    if (p.pending === 0) return Buffer.alloc(0);
    const start = p.parts.length * partSize;
    const bytes = await bucket.readBytes(pendingKey(id, start), { start: 0, end: p.pending - 1 });
    if (!bytes || bytes.length !== p.pending) throw new Error('The pending bytes are missing');
    return bytes;
  }

  /**
   * Puts every byte into the file's own object: the pending bytes go as the last part (or,
   * with no parts, as the whole object). Done when the last byte is in, so `readPartial`
   * (the hash, sniffing) and `publish` have one object to read.
   */
  async function seal(id: string, record: PartialRecord, rest?: Buffer): Promise<PartialRecord> {
    const p = record.placement;
    if (p.sealed !== null) return record;
    const tail = rest ?? (await pendingBytes(id, p));
    if (p.uploadId && p.parts.length > 0) {
      const last =
        tail.length > 0
          ? [await bucket.uploadPart(dataKey(id), p.uploadId, p.parts.length + 1, tail)]
          : [];
      await bucket.completeMultipart(dataKey(id), p.uploadId, [...p.parts, ...last]);
    } else {
      if (p.uploadId) await bucket.abortMultipart(dataKey(id), p.uploadId);
      await bucket.put(dataKey(id), tail);
    }
    const sealed: PartialRecord = {
      state: record.state,
      placement: { uploadId: null, parts: [], pending: 0, sealed: storedBytes(p) },
    };
    await write(id, sealed);
    if (p.pending > 0) await bucket.remove(pendingKey(id, p.parts.length * partSize));
    return sealed;
  }

  function info(id: string, record: PartialRecord): PartialInfo {
    const p = record.placement;
    return { ...record.state, id, offset: p.sealed ?? storedBytes(p) };
  }

  async function getPartialInfo(id: string): Promise<PartialInfo | null> {
    const record = await read(id);
    return record ? info(id, record) : null;
  }

  async function appendAt(id: string, offset: number): Promise<PartialWriter> {
    checkId(id);
    const record = await existing(id);
    const at = info(id, record).offset;
    if (at !== offset) throw new Error(`Offset ${offset} is not the end (${at})`);
    const p = record.placement;
    let uploadId = p.uploadId;
    let creating: Promise<string> | null = null;
    const queue = new PartQueue({
      partSize,
      queueSize,
      firstPartNumber: p.parts.length + 1,
      send: async (n, body) => {
        if (!uploadId) {
          creating ??= bucket.createMultipart(dataKey(id)).then(async (created) => {
            // Kept at once, so the upload is found (and aborted) whatever happens next.
            await write(id, { state: record.state, placement: { ...p, uploadId: created } });
            uploadId = created;
            return created;
          });
          await creating;
        }
        return bucket.uploadPart(dataKey(id), uploadId as string, n, body);
      },
    });
    let written = 0;
    let open = true;
    let loaded: Promise<void> | null = null;
    // The pending bytes lead the next part: fetched on the first write, not for a HEAD-like 0.
    const lead = () => {
      loaded ??= pendingBytes(id, p).then((bytes) => {
        if (bytes.length > 0) void queue.write(bytes);
      });
      return loaded;
    };

    return {
      get bytesWritten() {
        return written;
      },
      write(chunk) {
        if (!open || p.sealed !== null)
          return Promise.reject(new Error('write after close or discard'));
        written += chunk.length;
        if (!loaded) {
          const copy = Buffer.from(chunk);
          return lead().then(() => queue.write(copy));
        }
        return queue.write(chunk);
      },
      async close() {
        if (!open) throw new Error('close after close or discard');
        open = false;
        if (written === 0 && !(record.state.length === offset && p.sealed === null)) return offset;
        if (written > 0) await lead();
        await queue.drain();
        const rest = written > 0 ? queue.takeRest() : await pendingBytes(id, p);
        const grown: PartialRecord = {
          state: record.state,
          placement: {
            uploadId,
            parts: [...p.parts, ...queue.parts].sort((a, b) => a.PartNumber - b.PartNumber),
            pending: rest.length,
            sealed: null,
          },
        };
        const total = offset + written;
        if (record.state.length === total) {
          await seal(id, grown, rest);
          if (p.pending > 0) await bucket.remove(pendingKey(id, p.parts.length * partSize));
          return total;
        }
        const start = grown.placement.parts.length * partSize;
        if (rest.length > 0) await bucket.put(pendingKey(id, start), rest);
        await write(id, grown);
        if (p.pending > 0 && start !== p.parts.length * partSize) {
          await bucket.remove(pendingKey(id, p.parts.length * partSize));
        }
        return total;
      },
      async discard() {
        open = false;
        // Parts it sent are not in the state: the next writer overwrites them by number, and
        // completing or aborting the upload drops whatever is left over.
        await queue.settle();
        await loaded?.catch(() => {});
      },
    };
  }

  return {
    async createPartial(id, state) {
      checkId(id);
      if ((await read(id)) || (await stat(id))) throw new Error('Id already in use');
      await write(id, {
        state,
        placement: { uploadId: null, parts: [], pending: 0, sealed: null },
      });
    },

    getPartialInfo,

    async updatePartial(id, patch) {
      checkId(id);
      const record = await existing(id);
      await write(id, { ...record, state: { ...record.state, ...patch } });
    },

    appendAt,

    async readPartial(id) {
      checkId(id);
      const record = await existing(id);
      const p = record.placement;
      if (p.sealed !== null) return bucket.read(dataKey(id));
      if (p.parts.length === 0) return Readable.from([await pendingBytes(id, p)]);
      // Parts of a multipart upload cannot be read until it is completed: only a complete
      // upload is read (for its hash at publish), and it is sealed by its last PATCH.
      if (record.state.length !== storedBytes(p)) {
        throw new Error('A partial upload on S3 is readable once all its bytes are in');
      }
      await seal(id, record);
      return bucket.read(dataKey(id));
    },

    async publish(id: string, meta: CommitMetadata): Promise<FileMetadata> {
      checkId(id);
      const record = await seal(id, await existing(id));
      const metadata = fileMetadata(id, record.placement.sealed ?? 0, meta);
      await bucket.putJson(metaKey(id), metadata);
      await bucket.remove(stateKey(id));
      return metadata;
    },

    async deletePartial(id) {
      const record = await read(id);
      if (!record) return false;
      const p = record.placement;
      if (p.uploadId) await bucket.abortMultipart(dataKey(id), p.uploadId);
      if (p.sealed !== null) {
        // Published already if its metadata is there (the state outlived a publish): keep it.
        if (!(await stat(id))) await bucket.remove(dataKey(id));
      } else if (p.pending > 0) {
        await bucket.remove(pendingKey(id, p.parts.length * partSize));
      }
      await bucket.remove(stateKey(id));
      return true;
    },

    async holds(id, uploadId) {
      return (await read(id))?.placement.uploadId === uploadId;
    },

    async dropStrayPending(before) {
      let dropped = 0;
      for (const { key, modified } of await bucket.objects(partialPrefix)) {
        // Younger ones may belong to a PATCH whose state is being written right now.
        if (modified >= before) continue;
        const match = /^(.+)\.pending\.(\d+)$/.exec(key.slice(partialPrefix.length));
        if (!match) continue;
        const [, id = '', start] = match;
        const p = (await read(id))?.placement;
        if (p && p.pending > 0 && String(p.parts.length * partSize) === start) continue;
        await bucket.remove(key);
        dropped++;
      }
      return dropped;
    },

    async listPartials() {
      const keys = await bucket.keys(partialPrefix);
      const ids = keys
        .filter((key) => key.endsWith(STATE_SUFFIX))
        .map((key) => key.slice(partialPrefix.length, -STATE_SUFFIX.length));
      const all = await Promise.all(ids.map(getPartialInfo));
      return all.filter((found): found is PartialInfo => found !== null);
    },
  };
}
