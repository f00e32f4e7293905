import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultTransport } from './default-transport';
import type { TransportItem } from './transport';

const file = new File(['abc'], 'a.txt', { type: 'text/plain' });
const item: TransportItem = {
  id: '1',
  file,
  name: 'a.txt',
  size: 3,
  type: 'text/plain',
  attempt: 1,
};
const context = () => ({
  signal: new AbortController().signal,
  onProgress: () => {},
  metadata: {},
});

/** Just enough of XMLHttpRequest to answer 201 with JSON. */
class FakeXhr {
  static sent: unknown[] = [];
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open() {}
  setRequestHeader() {}
  abort() {}
  send(body: unknown) {
    FakeXhr.sent.push(body);
    queueMicrotask(() => {
      this.status = 201;
      this.responseText = '{"via":"xhr"}';
      this.onload?.();
    });
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXhr.sent = [];
});

describe('defaultTransport', () => {
  it('uses XMLHttpRequest when it exists, looked up at call time', async () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    const transport = defaultTransport({ endpoint: '/upload' });
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    expect(await transport(item, context())).toEqual({ via: 'xhr' });
    expect(FakeXhr.sent[0]).toBeInstanceOf(FormData);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('posts a FormData through fetch where there is no XMLHttpRequest, progress told at the answer', async () => {
    expect(typeof XMLHttpRequest).toBe('undefined');
    const forms: FormData[] = [];
    const fetchSpy = vi.fn(async (_url: string, init: RequestInit) => {
      forms.push(await new Response(init.body).formData());
      return Response.json({ via: 'fetch' }, { status: 201 });
    });
    vi.stubGlobal('fetch', fetchSpy);
    const transport = defaultTransport({ endpoint: 'http://x.test/upload', fieldName: 'doc' });
    const progress: [number, number][] = [];
    const answer = await transport(
      { ...item, relativePath: 'dir/a.txt' },
      { ...context(), metadata: { album: 'summer' }, onProgress: (l, t) => progress.push([l, t]) },
    );
    expect(answer).toEqual({ via: 'fetch' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(forms[0]!.get('album')).toBe('summer');
    expect(forms[0]!.get('relativePath')).toBe('dir/a.txt');
    expect(await (forms[0]!.get('doc') as File).text()).toBe('abc');
    expect(progress).toEqual([[3, 3]]);
  });

  it('rejects with the server error through fetch, and with an AbortError once aborted', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json({ error: { code: 'file-too-large', message: 'Too big' } }, { status: 413 }),
      ),
    );
    const transport = defaultTransport({ endpoint: 'http://x.test/upload' });
    await expect(transport(item, context())).rejects.toMatchObject({
      status: 413,
      code: 'file-too-large',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      transport(item, { ...context(), signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
