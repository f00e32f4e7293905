import { describe, expect, it } from 'vitest';
import { fakeTransport, makeFile } from '../upload/test-support/fake-transport';
import { createUploader } from '../upload/uploader';
import { indexedDbUrlStore } from './indexeddb-url-store';
import { createPersistedQueue, resumeKey } from './persisted-queue';

describe('resumeKey', () => {
  it('is made of the folder path or name, size, type and last modification', () => {
    expect(resumeKey({ name: 'a.bin', size: 3, type: 'x/y', lastModified: 5 })).toBe(
      'a.bin::3::x/y::5',
    );
    expect(resumeKey({ name: 'a.bin', size: 3, type: '', relativePath: 'd/a.bin' })).toBe(
      'd/a.bin::3::::',
    );
  });
});

describe('without IndexedDB (a server, a locked-down browser)', () => {
  it('keeps nothing, fails nothing: ready with no resumable file', async () => {
    const uploader = createUploader({ transport: fakeTransport().transport });
    const queue = createPersistedQueue(uploader);
    await uploader.add([makeFile('a', 1)]);
    await new Promise((r) => setTimeout(r, 30));
    expect(queue.getState()).toEqual({ ready: true, resumable: [] });
    expect(await queue.restore()).toBe(0);
    await queue.forget();
    queue.destroy();
  });

  it('the URL store answers nothing and throws nothing', async () => {
    const store = indexedDbUrlStore();
    await store.set('f', 'http://x/1');
    expect(await store.get('f')).toBeNull();
    await store.remove('f');
  });
});
