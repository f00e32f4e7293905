import { abortError } from '../shared/abort';
import type { HttpAnswer } from './http-answer';
import { UploadHttpError } from './upload-http-error';

export interface FetchRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A stream needs `duplex: 'half'`. */
  body?: BodyInit;
  duplex?: 'half';
  withCredentials?: boolean;
  signal?: AbortSignal;
  /** Defaults to `globalThis.fetch`, looked up at each request. */
  fetch?: typeof fetch;
}

/**
 * One request through `fetch`, the body of its answer read (none for `HEAD`). Resolves with
 * any answer; rejects with an `AbortError` when `signal` aborts, and with a `network-error`
 * `UploadHttpError` when no answer came.
 */
export async function fetchRequest(request: FetchRequest): Promise<HttpAnswer> {
  const { signal } = request;
  if (signal?.aborted) throw abortError();
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    credentials: request.withCredentials ? 'include' : 'same-origin',
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.duplex ? { duplex: request.duplex } : {}),
    ...(signal ? { signal } : {}),
  };
  try {
    const response = await (request.fetch ?? globalThis.fetch)(request.url, init);
    const text = request.method === 'HEAD' ? '' : await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      header: (name) => response.headers.get(name),
      text,
    };
  } catch (error) {
    if (signal?.aborted) throw abortError();
    if (error instanceof UploadHttpError) throw error;
    throw UploadHttpError.network(
      error instanceof Error && error.message ? error.message : undefined,
    );
  }
}
