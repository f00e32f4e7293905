import { describe, expect, it } from 'vitest';
import { makeFile } from '../upload/test-support/fake-transport';
import { createPreview, type Preview, type PreviewOptions } from './preview';
import { createPreviews, type PreviewSource } from './previews';

type Items = ReturnType<PreviewSource['getState']>['items'];

function manualSource(items: Items = []) {
  let state = { items };
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: Items) {
      state = { items: next };
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

/** A preview maker whose calls the test answers, recording releases. */
function fakeMaker() {
  const calls: { file: Blob; options: PreviewOptions; answer(p: Preview | null): void }[] = [];
  const released: string[] = [];
  const preview = (url: string): Preview => ({
    url,
    width: 1,
    height: 1,
    originalWidth: 1,
    originalHeight: 1,
    release: () => released.push(url),
  });
  const createPreview = (file: Blob, options: PreviewOptions) =>
    new Promise<Preview | null>((resolve) => calls.push({ file, options, answer: resolve }));
  return { calls, released, preview, createPreview };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const png = (id: string) => ({ id, file: makeFile(`${id}.png`, 1, 'image/png') });

describe('createPreview', () => {
  it('answers null outside a browser and for files that are not images or videos', async () => {
    expect(await createPreview(makeFile('a.png', 1, 'image/png'))).toBeNull();
    expect(await createPreview(makeFile('a.txt', 1, 'text/plain'))).toBeNull();
  });
});

describe('createPreviews', () => {
  it('makes one preview per image item, skips other files, and releases removed ones', async () => {
    const maker = fakeMaker();
    const source = manualSource([png('a'), { id: 't', file: makeFile('t.txt', 1, 'text/plain') }]);
    const previews = createPreviews(source, { maxSize: 64 }, maker);
    expect(maker.calls.map((c) => c.options.maxSize)).toEqual([64]);
    maker.calls[0]?.answer(maker.preview('blob:a'));
    await tick();
    expect([...previews.getState().keys()]).toEqual(['a']);
    source.set([png('a'), png('b')]);
    source.set([png('a'), png('b')]);
    expect(maker.calls).toHaveLength(2);
    source.set([png('b')]);
    expect(maker.released).toEqual(['blob:a']);
    expect(previews.getState().size).toBe(0);
  });

  it('releases a preview that arrives after its item left, and tries an undecodable file once', async () => {
    const maker = fakeMaker();
    const source = manualSource([png('a'), png('bad')]);
    const previews = createPreviews(source, {}, maker);
    source.set([png('bad')]);
    expect(maker.calls[0]?.options.signal?.aborted).toBe(true);
    maker.calls[0]?.answer(maker.preview('blob:late'));
    maker.calls[1]?.answer(null);
    await tick();
    expect(maker.released).toEqual(['blob:late']);
    source.set([png('bad')]);
    expect(maker.calls).toHaveLength(2);
    expect(previews.getState().size).toBe(0);
  });

  it('releases everything and stops listening on destroy', async () => {
    const maker = fakeMaker();
    const source = manualSource([png('a'), png('b')]);
    const previews = createPreviews(source, {}, maker);
    const seen: number[] = [];
    previews.subscribe((map) => seen.push(map.size));
    maker.calls[0]?.answer(maker.preview('blob:a'));
    await tick();
    previews.destroy();
    expect(maker.released).toEqual(['blob:a']);
    expect(maker.calls[1]?.options.signal?.aborted).toBe(true);
    maker.calls[1]?.answer(maker.preview('blob:b'));
    await tick();
    expect(maker.released).toEqual(['blob:a', 'blob:b']);
    expect(source.listeners.size).toBe(0);
    expect(seen).toEqual([1]);
  });
});
