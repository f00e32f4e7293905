import { describe, expect, it } from 'vitest';
import { fakeTransport, makeFile } from '../upload/test-support/fake-transport';
import { createUploader } from '../upload/uploader';
import { type Announcement, type AnnouncerSource, createAnnouncer } from './announcer';

/** A source whose state the test sets and announces by hand. */
function manualSource(): AnnouncerSource & {
  set(state: ReturnType<AnnouncerSource['getState']>): void;
} {
  let state: ReturnType<AnnouncerSource['getState']> = { items: [], rejected: [] };
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      state = next;
      for (const listener of listeners) listener();
    },
  };
}

type Item = ReturnType<AnnouncerSource['getState']>['items'][number];
const item = (id: string, status: Item['status'], error?: string): Item =>
  ({
    id,
    name: `${id}.png`,
    status,
    ...(error ? { error: { code: 'x', message: error } } : {}),
  }) as Item;
const rejection = (name: string, ...messages: string[]) => ({
  file: makeFile(name, 1),
  errors: messages.map((message) => ({ code: 'x', message })),
});

/** Past the store's notification timer. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createAnnouncer', () => {
  it('says nothing before anything happens, and nothing of what was there already', () => {
    const source = manualSource();
    source.set({ items: [item('a', 'queued')], rejected: [] });
    const announcer = createAnnouncer(source);
    expect(announcer.getState()).toEqual({ text: '', count: 0 });
    announcer.subscribe(() => {});
    source.set({ items: [item('a', 'queued')], rejected: [] });
    expect(announcer.getState().count).toBe(0);
  });

  it('follows the source only while something listens', () => {
    const source = manualSource();
    const announcer = createAnnouncer(source);
    source.set({ items: [item('a', 'queued')], rejected: [] });
    expect(announcer.getState().count).toBe(0);
    const stop = announcer.subscribe(() => {});
    source.set({ items: [item('a', 'queued'), item('b', 'queued')], rejected: [] });
    expect(announcer.getState().text).toBe('b.png added.');
    stop();
    source.set({
      items: [item('a', 'queued'), item('b', 'queued'), item('c', 'queued')],
      rejected: [],
    });
    expect(announcer.getState().text).toBe('b.png added.');
    // Listening again starts from what is there now.
    announcer.subscribe(() => {});
    source.set({
      items: [item('a', 'success'), item('b', 'queued'), item('c', 'queued')],
      rejected: [],
    });
    expect(announcer.getState().text).toBe('a.png uploaded.');
  });

  it('announces one file by name, several by count, in a fixed order', () => {
    const source = manualSource();
    const announcer = createAnnouncer(source);
    const seen: Announcement[] = [];
    announcer.subscribe((a) => seen.push(a));
    source.set({
      items: [item('a', 'queued')],
      rejected: [rejection('x.exe', 'File type must be one of image/*')],
    });
    source.set({
      items: [item('a', 'success'), item('b', 'queued'), item('c', 'queued')],
      rejected: [],
    });
    source.set({
      items: [item('a', 'success'), item('b', 'error', 'Offline.'), item('c', 'success')],
      rejected: [],
    });
    expect(seen.map((a) => a.text)).toEqual([
      'a.png added. x.exe refused: File type must be one of image/*.',
      '2 files added. a.png uploaded.',
      'c.png uploaded. b.png failed: Offline.',
    ]);
    expect(seen.map((a) => a.count)).toEqual([1, 2, 3]);
  });

  it('counts rejections again after clear(), and says the same thing twice as news', () => {
    const source = manualSource();
    const announcer = createAnnouncer(source);
    announcer.subscribe(() => {});
    source.set({ items: [], rejected: [rejection('x.exe', 'Too big')] });
    const first = announcer.getState().text;
    source.set({ items: [], rejected: [] });
    source.set({ items: [], rejected: [rejection('x.exe', 'Too big')] });
    expect(first).toBe('x.exe refused: Too big.');
    expect(announcer.getState().text).not.toBe(first);
    expect(announcer.getState().text.trim()).toBe(first);
    source.set({
      items: [],
      rejected: [rejection('x.exe', 'Too big'), rejection('y', 'a'), rejection('z', 'b')],
    });
    expect(announcer.getState().text).toBe('2 files refused.');
  });

  it('takes messages by code, with count, name and reason', () => {
    const source = manualSource();
    const announcer = createAnnouncer(source, {
      messages: {
        'files-added': '{count} fichier(s) ajouté(s)',
        'files-rejected': (d) => `${d.name} refusé (${d.reason})`,
      },
    });
    announcer.subscribe(() => {});
    source.set({ items: [item('a', 'queued')], rejected: [rejection('x', 'trop grand')] });
    expect(announcer.getState().text).toBe('1 fichier(s) ajouté(s) x refusé (trop grand)');
  });

  it('follows a real uploader, and stops on destroy', async () => {
    const fake = fakeTransport();
    const up = createUploader({
      transport: fake.transport,
      rules: { maxSize: 10 },
      notifyIntervalMs: 0,
    });
    const announcer = createAnnouncer(up);
    announcer.subscribe(() => {});
    await up.add([makeFile('a.txt', 5), makeFile('big.txt', 50)]);
    await tick();
    expect(announcer.getState().text).toBe(
      'a.txt added. big.txt refused: File is larger than 10 B.',
    );
    const done = up.upload();
    await tick();
    fake.calls[0]?.resolve({});
    await done;
    await tick();
    expect(announcer.getState().text).toBe('a.txt uploaded.');
    announcer.destroy();
    await up.add([makeFile('b.txt', 5)]);
    await tick();
    expect(announcer.getState().text).toBe('a.txt uploaded.');
  });
});
