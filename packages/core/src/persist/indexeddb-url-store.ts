import type { TusUrlStore } from '../tus/tus-url-store';
import { type IdbFactoryLike, idbDelete, idbGet, idbPut, openIdb } from './idb';

export interface IndexedDbUrlStoreOptions {
  /** The database's name; the persisted queue of the same name shares it. Defaults to `'updown'`. */
  name?: string;
  /** Defaults to `globalThis.indexedDB`. */
  indexedDB?: IdbFactoryLike;
}

/**
 * tus upload URLs kept in IndexedDB, beside the persisted queue, surviving reloads. Where
 * IndexedDB cannot be opened, nothing is kept (the upload starts over after a reload).
 *
 * @example
 * tusTransport({ endpoint: '/api/files/tus', urlStore: indexedDbUrlStore() })
 */
export function indexedDbUrlStore(options: IndexedDbUrlStoreOptions = {}): TusUrlStore {
  let db: Promise<IDBDatabase | null> | undefined;
  const open = () => {
    db ??= openIdb(options.name ?? 'updown', options.indexedDB);
    return db;
  };
  const quietly = async <T>(work: (db: IDBDatabase) => Promise<T>): Promise<T | undefined> => {
    try {
      const opened = await open();
      return opened ? await work(opened) : undefined;
    } catch {
      // Resuming after a reload is a bonus, never a reason to fail the upload.
      return undefined;
    }
  };
  return {
    get: async (fingerprint) =>
      (await quietly((d) => idbGet<string>(d, 'tus-urls', fingerprint))) ?? null,
    set: async (fingerprint, url) => {
      await quietly((d) => idbPut(d, 'tus-urls', fingerprint, url));
    },
    remove: async (fingerprint) => {
      await quietly((d) => idbDelete(d, 'tus-urls', fingerprint));
    },
  };
}
