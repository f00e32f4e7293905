import type { UploadItem } from '../upload/upload-item';
import type { Uploader } from '../upload/uploader-types';
import {
  type IdbFactoryLike,
  idbClear,
  idbDelete,
  idbGet,
  idbGetAll,
  idbPut,
  openIdb,
} from './idb';

/** A file of an earlier session that had not finished uploading. */
export interface ResumableFile {
  /** Name, folder path, size, type and last modification: how a re-selected file is recognised. */
  readonly key: string;
  readonly name: string;
  readonly relativePath?: string;
  readonly size: number;
  readonly type: string;
  readonly lastModified: number;
  /** Bytes the server had confirmed when it was last seen. */
  readonly loaded: number;
  /** The file itself, when kept (`keepFiles`); otherwise select it again to resume. */
  readonly file?: File;
}

export interface PersistedQueueState {
  /** `false` until the earlier session's files are read. */
  readonly ready: boolean;
  /** Files of earlier sessions not yet back in the queue, oldest first. */
  readonly resumable: readonly ResumableFile[];
}

export interface PersistedQueueOptions {
  /** The IndexedDB database. Defaults to `'updown'`. */
  name?: string;
  /**
   * Keep each unfinished file's bytes in IndexedDB too, so `restore()` can re-add it without
   * the user selecting it again. Costs disk space the size of the files. Defaults to `false`.
   */
  keepFiles?: boolean;
  /** Defaults to `globalThis.indexedDB`. */
  indexedDB?: IdbFactoryLike;
}

export interface PersistedQueue {
  getState(): PersistedQueueState;
  subscribe(listener: (state: PersistedQueueState) => void): () => void;
  /** Re-adds the kept files (`keepFiles`) of `resumable` to the uploader; how many were added. */
  restore(): Promise<number>;
  /** Forgets one earlier file, or all of them. */
  forget(key?: string): Promise<void>;
  /** Stops following the uploader; what is kept stays kept. */
  destroy(): void;
}

type Kept = ResumableFile;

/** How a file is recognised when it is selected again (the tus fingerprint's parts). */
export function resumeKey(file: {
  name: string;
  size: number;
  type: string;
  lastModified?: number;
  relativePath?: string;
}): string {
  return [file.relativePath ?? file.name, file.size, file.type, file.lastModified ?? ''].join('::');
}

function keyOf(item: UploadItem): string {
  return resumeKey({
    name: item.name,
    size: item.size,
    type: item.type,
    lastModified: item.file.lastModified,
    relativePath: item.relativePath,
  });
}

const UNFINISHED = new Set(['queued', 'uploading', 'paused', 'error']);

/**
 * Keeps an uploader's unfinished items in IndexedDB, so that after a reload the queue knows
 * what was left: `getState().resumable` lists them, and selecting one again (or `restore()`
 * with `keepFiles`) puts it back in the queue. With a resumable transport
 * (`tusTransport`, its URLs kept by `localStorage` or `indexedDbUrlStore`) the upload then
 * goes on from the server's offset, without sending the finished bytes again. A finished,
 * cancelled or removed item is forgotten.
 *
 * @example
 * const uploader = createUploader({ transport: tusTransport({ endpoint: '/api/files/tus' }), autoUpload: true });
 * const queue = createPersistedQueue(uploader, { keepFiles: true });
 * queue.subscribe(({ resumable }) => showResumeBanner(resumable));
 * resumeButton.onclick = () => queue.restore();
 */
export function createPersistedQueue(
  uploader: Pick<Uploader, 'getState' | 'subscribe' | 'add'>,
  options: PersistedQueueOptions = {},
): PersistedQueue {
  let state: PersistedQueueState = { ready: false, resumable: [] };
  const listeners = new Set<(state: PersistedQueueState) => void>();
  // What was last written per key: status and tenth of progress, so progress writes stay rare.
  const written = new Map<string, string>();
  let destroyed = false;
  let writes: Promise<unknown> = Promise.resolve();
  const db = openIdb(options.name ?? 'updown', options.indexedDB);

  function publish(next: PersistedQueueState): void {
    state = next;
    for (const listener of Array.from(listeners)) listener(state);
  }

  /** Writes run one after another, in the order the changes came. */
  function write(work: (db: IDBDatabase) => Promise<unknown>): void {
    writes = writes.then(async () => {
      const opened = await db;
      if (opened) await work(opened).catch(() => {});
    });
  }

  function sync(): void {
    if (destroyed) return;
    const items = uploader.getState().items;
    const present = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      present.add(key);
      if (!UNFINISHED.has(item.status)) {
        if (written.has(key)) {
          written.delete(key);
          write((d) => idbDelete(d, 'items', key));
        }
        continue;
      }
      const mark = `${item.status}:${Math.floor(item.progress.percent / 10)}`;
      if (written.get(key) === mark) continue;
      const first = !written.has(key);
      written.set(key, mark);
      const record: Kept = {
        key,
        name: item.name,
        ...(item.relativePath === undefined ? {} : { relativePath: item.relativePath }),
        size: item.size,
        type: item.type,
        lastModified: item.file.lastModified,
        loaded: item.progress.loaded,
      };
      // The bytes are written once, with the first record; later writes keep them.
      if (options.keepFiles && first)
        write((d) => idbPut(d, 'items', key, { ...record, file: item.file }));
      else if (options.keepFiles) {
        write(async (d) => {
          const old = await idbGet<Kept>(d, 'items', key);
          await idbPut(d, 'items', key, { ...record, file: old?.file ?? item.file });
        });
      } else write((d) => idbPut(d, 'items', key, record));
    }
    // Removed items: forgotten.
    for (const key of Array.from(written.keys())) {
      if (present.has(key)) continue;
      written.delete(key);
      write((d) => idbDelete(d, 'items', key));
    }
    const back = state.resumable.filter((r) => !present.has(r.key));
    if (back.length !== state.resumable.length) publish({ ...state, resumable: back });
  }

  const unsubscribe = uploader.subscribe(sync);
  void db.then(async (opened) => {
    const kept = opened ? await idbGetAll<Kept>(opened, 'items').catch(() => []) : [];
    if (destroyed) return;
    const live = new Set(uploader.getState().items.map(keyOf));
    publish({
      ready: true,
      resumable: kept.filter((r) => !live.has(r.key) && !written.has(r.key)),
    });
  });

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async restore() {
      const files = state.resumable.filter(
        (r): r is Kept & { file: File } => r.file instanceof Blob,
      );
      if (files.length === 0) return 0;
      const { accepted } = await uploader.add(
        files.map((r) => r.file),
        { relativePaths: files.map((r) => r.relativePath) },
      );
      return accepted.length;
    },
    async forget(key) {
      const opened = await db;
      if (opened) {
        if (key === undefined) await idbClear(opened, 'items').catch(() => {});
        else await idbDelete(opened, 'items', key).catch(() => {});
      }
      publish({
        ...state,
        resumable: key === undefined ? [] : state.resumable.filter((r) => r.key !== key),
      });
    },
    destroy() {
      destroyed = true;
      unsubscribe();
      listeners.clear();
    },
  };
}
