import { afterEach, describe, expect, it, vi } from 'vitest';
import { prefersXhr } from './prefers-xhr';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('prefersXhr', () => {
  it('does as asked', () => {
    expect(prefersXhr('xhr')).toBe(true);
    expect(prefersXhr('fetch')).toBe(false);
  });

  it('otherwise takes XMLHttpRequest wherever it exists, looked up at each call', () => {
    expect(prefersXhr()).toBe(false);
    vi.stubGlobal('XMLHttpRequest', class {});
    expect(prefersXhr()).toBe(true);
    expect(prefersXhr('fetch')).toBe(false);
  });
});
