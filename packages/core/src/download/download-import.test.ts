import { afterEach, describe, expect, it, vi } from 'vitest';

// Any touch of these while the download modules load would throw.
const browserGlobals = [
  'window',
  'document',
  'navigator',
  'location',
  'HTMLCanvasElement',
  'OffscreenCanvas',
];

afterEach(() => {
  for (const name of browserGlobals) Reflect.deleteProperty(globalThis, name);
  vi.resetModules();
});

describe('the download modules at import time', () => {
  it('touch no DOM global', async () => {
    const touched: string[] = [];
    for (const name of browserGlobals) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          throw new Error(`${name} touched at import time`);
        },
      });
    }
    vi.resetModules();
    const modules = await Promise.all([
      import('./download'),
      import('./downloader'),
      import('./to-blob'),
      import('./save-blob'),
      import('./save-stream'),
      import('./download-machine'),
      import('../shared/mime-extension'),
    ]);
    expect(modules.every((module) => Object.keys(module).length > 0)).toBe(true);
    expect(touched).toEqual([]);
  });
});
