import { open, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  listBySuffix,
  openReadStream,
  publishOnDisk,
  readJson,
  unlessMissing,
  unlinkQuietly,
} from './disk-files';
import { diskLayout } from './disk-layout';
import { DiskWriter } from './disk-writer';
import { isValidFileId } from './file-id';
import { notFoundError } from './not-found';
import { openFile } from './open-file';
import type { PartialInfo, PartialState, ResumableStorage } from './resumable-storage';
import type { CommitMetadata, FileMetadata } from './storage';

export interface DiskResumableOptions {
  /** The `diskStorage` directory; partial uploads live in its `.partial/` folder. */
  directory: string;
  /** Bytes gathered before each disk write. Defaults to 256 KiB. */
  writeBufferSize?: number;
  /** `fsync` the file before it is published. Defaults to `true`. */
  fsync?: boolean;
}

// Beside diskStorage's own partial files, so one rename publishes.
const STATE_SUFFIX = '.tus.json';

/**
 * Partial tus uploads inside a `diskStorage` directory: the bytes in `.partial/<id>` (their
 * length is the offset, so offsets survive a restart and a crash), the state beside them in
 * `.partial/<id>.tus.json`. Publishing renames the bytes to `<id>` and writes `<id>.json`
 * exactly as `diskStorage` commits a multipart file.
 */
export function diskResumable(options: DiskResumableOptions): ResumableStorage {
  const { directory, partialDir, buffers, sync, syncDirectory, inPartialDir } = diskLayout(options);
  const dataPath = (id: string) => join(partialDir, id);
  const statePath = (id: string) => join(partialDir, `${id}${STATE_SUFFIX}`);

  function checkId(id: string): void {
    if (!isValidFileId(id)) throw notFoundError('Invalid file id');
  }

  async function readState(id: string): Promise<PartialState | null> {
    try {
      return await readJson<PartialState>(statePath(id));
    } catch (error) {
      if (error instanceof SyntaxError) return null;
      throw error;
    }
  }

  async function writeState(id: string, state: PartialState): Promise<void> {
    // Written aside, then renamed: a crash leaves the old state or the new one, never half.
    const temp = `${statePath(id)}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state));
    await rename(temp, statePath(id));
  }

  async function getPartialInfo(id: string): Promise<PartialInfo | null> {
    if (!isValidFileId(id)) return null;
    const state = await readState(id);
    const data = state && (await unlessMissing(stat(dataPath(id))));
    return state && data ? { ...state, id, offset: data.size } : null;
  }

  return {
    async createPartial(id, state) {
      checkId(id);
      const handle = await inPartialDir(() => open(dataPath(id), 'wx'));
      await handle.close();
      await writeState(id, state);
    },

    getPartialInfo,

    async updatePartial(id, patch) {
      checkId(id);
      const state = await readState(id);
      if (!state) throw notFoundError('No such upload');
      await writeState(id, { ...state, ...patch });
    },

    async appendAt(id, offset) {
      checkId(id);
      const handle = await openFile(dataPath(id), 'r+');
      try {
        const { size } = await handle.stat();
        if (size !== offset) throw new Error(`Offset ${offset} is not the end (${size})`);
      } catch (error) {
        await handle.close();
        throw error;
      }
      return new DiskWriter(handle, {
        start: offset,
        buffers,
        sync: false,
        drop: () => truncate(dataPath(id), offset),
      });
    },

    async readPartial(id): Promise<Readable> {
      checkId(id);
      return openReadStream(dataPath(id), 1024 * 1024);
    },

    async publish(id: string, meta: CommitMetadata): Promise<FileMetadata> {
      checkId(id);
      const data = dataPath(id);
      const handle = await open(data, 'r+');
      let size: number;
      try {
        size = (await handle.stat()).size;
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
      const metadata = await publishOnDisk({
        directory,
        id,
        partialPath: data,
        size,
        meta,
        sync,
        syncDirectory,
      });
      await unlinkQuietly(statePath(id));
      return metadata;
    },

    async deletePartial(id) {
      if (!isValidFileId(id)) return false;
      const hadState = await unlinkQuietly(statePath(id));
      const hadData = await unlinkQuietly(dataPath(id));
      return hadState || hadData;
    },

    listPartials: () => listBySuffix(partialDir, STATE_SUFFIX, getPartialInfo),
  };
}
