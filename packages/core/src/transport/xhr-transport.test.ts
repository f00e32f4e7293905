import { describe, expect, it, vi } from 'vitest';
import { isAbortError } from '../shared/abort';
import { fetchTransport } from './fetch-transport';
import type { TransportItem } from './transport';
import { xhrTransport } from './xhr-transport';

const item: TransportItem = {
  id: 'a',
  file: new Blob(['bytes']),
  name: 'a.txt',
  size: 5,
  type: 'text/plain',
  attempt: 1,
};

describe('xhrTransport on a signal already aborted', () => {
  // A transport of the user's own may hand its signal on after awaiting something: the
  // upload was cancelled meanwhile, and nothing of the request is made, headers included.
  it.each([
    ['xhrTransport', xhrTransport],
    ['fetchTransport', fetchTransport],
  ])('%s rejects with an AbortError before asking for headers', async (_, make) => {
    const headers = vi.fn(() => {
      throw new Error('signed out');
    });
    const controller = new AbortController();
    controller.abort();
    const error = await make({ endpoint: 'http://127.0.0.1:9/upload', headers })(item, {
      signal: controller.signal,
      onProgress: () => {},
      metadata: {},
    }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(headers).not.toHaveBeenCalled();
  });
});
