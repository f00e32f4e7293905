import { describe, expect, it } from 'vitest';
import { encodeTusMetadata } from './tus-metadata';
import {
  defaultUrlStore,
  localStorageUrlStore,
  memoryUrlStore,
  type StorageLike,
} from './tus-url-store';

function fakeStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v);
    },
    removeItem: (k) => {
      data.delete(k);
    },
  };
}

describe('tus URL stores', () => {
  it('memory store keeps, finds and forgets URLs', () => {
    const store = memoryUrlStore();
    store.set('fp', 'http://x/tus/1');
    expect(store.get('fp')).toBe('http://x/tus/1');
    store.remove('fp');
    expect(store.get('fp')).toBeNull();
  });

  it('localStorage store prefixes its keys', () => {
    const storage = fakeStorage();
    const store = localStorageUrlStore({ storage });
    store.set('fp', 'u');
    expect([...storage.data.keys()]).toEqual(['updown-tus::fp']);
    expect(store.get('fp')).toBe('u');
    store.remove('fp');
    expect(storage.data.size).toBe(0);
  });

  it('a throwing localStorage only loses resumability', () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const store = localStorageUrlStore({ storage: broken });
    expect(() => store.set('fp', 'u')).not.toThrow();
    expect(store.get('fp')).toBeNull();
    expect(() => store.remove('fp')).not.toThrow();
  });

  it('defaults to memory where there is no localStorage (Node)', () => {
    const store = defaultUrlStore();
    store.set('a', 'b');
    expect(store.get('a')).toBe('b');
  });
});

describe('encodeTusMetadata', () => {
  it('base64-encodes UTF-8 values, keeps empty values bare, drops keys tus cannot carry', () => {
    const header = encodeTusMetadata({
      filename: 'été 📷.jpg',
      empty: '',
      'bad key': 'x',
      'a,b': 'y',
    });
    const pairs = header.split(',');
    expect(pairs).toHaveLength(2);
    const [key, value] = pairs[0]!.split(' ');
    expect(key).toBe('filename');
    expect(Buffer.from(value!, 'base64').toString('utf8')).toBe('été 📷.jpg');
    expect(pairs[1]).toBe('empty');
  });
});
