/**
 * Where `tusTransport` remembers the upload URL of each file fingerprint, so a file selected
 * again (after a reload, a crash, another tab) resumes instead of starting over. Methods may
 * be sync or async.
 */
export interface TusUrlStore {
  get(fingerprint: string): string | null | undefined | Promise<string | null | undefined>;
  set(fingerprint: string, url: string): void | Promise<void>;
  remove(fingerprint: string): void | Promise<void>;
}

/** Upload URLs in a `Map`: forgotten with the process. The default outside browsers. */
export function memoryUrlStore(): TusUrlStore {
  const urls = new Map<string, string>();
  return {
    get: (fingerprint) => urls.get(fingerprint) ?? null,
    set: (fingerprint, url) => {
      urls.set(fingerprint, url);
    },
    remove: (fingerprint) => {
      urls.delete(fingerprint);
    },
  };
}

/** The part of the Web Storage API used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageUrlStoreOptions {
  /** Defaults to `globalThis.localStorage`, looked up at each call. */
  storage?: StorageLike;
  /** Key prefix. Defaults to `'updown-tus::'`. */
  prefix?: string;
}

/**
 * Upload URLs in `localStorage`, surviving reloads. A storage that throws (private mode,
 * quota, blocked cookies) only loses the ability to resume after a reload.
 */
export function localStorageUrlStore(options: LocalStorageUrlStoreOptions = {}): TusUrlStore {
  const prefix = options.prefix ?? 'updown-tus::';
  const storage = (): StorageLike | undefined =>
    options.storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  return {
    get(fingerprint) {
      try {
        return storage()?.getItem(prefix + fingerprint) ?? null;
      } catch {
        return null;
      }
    },
    set(fingerprint, url) {
      try {
        storage()?.setItem(prefix + fingerprint, url);
      } catch {
        // Resuming after a reload is a bonus, never a reason to fail the upload.
      }
    },
    remove(fingerprint) {
      try {
        storage()?.removeItem(prefix + fingerprint);
      } catch {
        // As above.
      }
    },
  };
}

/** `localStorage` where there is a usable one, memory elsewhere. */
export function defaultUrlStore(): TusUrlStore {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (storage && typeof storage.getItem === 'function') return localStorageUrlStore();
  } catch {
    // Accessing localStorage itself can throw (sandboxed frames).
  }
  return memoryUrlStore();
}
