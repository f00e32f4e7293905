// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REVOKE_DELAY_MS, defaultSaveWindow, type SaveWindow, saveBlob } from './save-blob';

interface Clicked {
  href: string;
  download: string;
  inDocument: boolean;
}

function fakeUrls() {
  let next = 0;
  const created: Blob[] = [];
  const revoked: string[] = [];
  return {
    created,
    revoked,
    URL: {
      createObjectURL: (blob: Blob) => {
        created.push(blob);
        return `blob:test/${next++}`;
      },
      revokeObjectURL: (url: string) => {
        revoked.push(url);
      },
    } as SaveWindow['URL'],
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('saveBlob', () => {
  it('clicks a temporary <a download> and revokes the object URL later, not at once', () => {
    vi.useFakeTimers();
    const clicks: Clicked[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push({
        href: this.href,
        download: this.download,
        inDocument: document.body.contains(this),
      });
    });
    const urls = fakeUrls();
    const win: SaveWindow = { document, URL: urls.URL, setTimeout: (fn, ms) => setTimeout(fn, ms) };
    const blob = new Blob(['hi'], { type: 'text/plain' });

    saveBlob(blob, 'hi.txt', { win, revokeDelayMs: 1000 });

    expect(urls.created).toEqual([blob]);
    expect(clicks).toEqual([{ href: 'blob:test/0', download: 'hi.txt', inDocument: true }]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(urls.revoked).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(urls.revoked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(urls.revoked).toEqual(['blob:test/0']);
  });

  it('waits 40 s by default, as FileSaver.js does', () => {
    vi.useFakeTimers();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const urls = fakeUrls();
    saveBlob(new Blob(['x']), 'x.bin', {
      win: { document, URL: urls.URL, setTimeout: (fn, ms) => setTimeout(fn, ms) },
    });
    vi.advanceTimersByTime(DEFAULT_REVOKE_DELAY_MS - 1);
    expect(urls.revoked).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(urls.revoked).toHaveLength(1);
    expect(DEFAULT_REVOKE_DELAY_MS).toBe(40_000);
  });

  it('revokes at once when saving throws', () => {
    const failure = new Error('click refused');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {
      throw failure;
    });
    const urls = fakeUrls();
    const timers: number[] = [];
    const win: SaveWindow = { document, URL: urls.URL, setTimeout: (_fn, ms) => timers.push(ms) };
    expect(() => saveBlob(new Blob(['x']), 'x.bin', { win })).toThrow(failure);
    expect(urls.revoked).toEqual(['blob:test/0']);
    expect(timers).toEqual([]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
  });

  it('finds the global window in a browser-like environment', () => {
    expect(defaultSaveWindow()).toBe(window);
  });
});
