/** The few IndexedDB calls the persisted queue needs, as promises. Reached only when called. */

/** What is used of `indexedDB`: tests and other environments may pass their own. */
export interface IdbFactoryLike {
  open(name: string, version?: number): IDBOpenDBRequest;
}

const STORES = ['items', 'tus-urls'] as const;
export type IdbStoreName = (typeof STORES)[number];

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The database, its stores made on first open; `null` where there is no IndexedDB. */
export function openIdb(
  name: string,
  factory: IdbFactoryLike | undefined = (globalThis as { indexedDB?: IdbFactoryLike }).indexedDB,
): Promise<IDBDatabase | null> {
  if (!factory) return Promise.resolve(null);
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, 1);
    } catch {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      for (const store of STORES) {
        if (!request.result.objectStoreNames.contains(store))
          request.result.createObjectStore(store);
      }
    };
    request.onsuccess = () => resolve(request.result);
    // Private modes and blocked storage: the queue simply is not kept.
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
}

export function idbGetAll<T>(db: IDBDatabase, store: IdbStoreName): Promise<T[]> {
  return done(db.transaction(store).objectStore(store).getAll() as IDBRequest<T[]>);
}

export function idbGet<T>(
  db: IDBDatabase,
  store: IdbStoreName,
  key: string,
): Promise<T | undefined> {
  return done(db.transaction(store).objectStore(store).get(key) as IDBRequest<T | undefined>);
}

export async function idbPut(
  db: IDBDatabase,
  store: IdbStoreName,
  key: string,
  value: unknown,
): Promise<void> {
  await done(db.transaction(store, 'readwrite').objectStore(store).put(value, key));
}

export async function idbDelete(db: IDBDatabase, store: IdbStoreName, key: string): Promise<void> {
  await done(db.transaction(store, 'readwrite').objectStore(store).delete(key));
}

export async function idbClear(db: IDBDatabase, store: IdbStoreName): Promise<void> {
  await done(db.transaction(store, 'readwrite').objectStore(store).clear());
}
