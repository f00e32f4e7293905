import { abortError } from '../shared/abort';
import { countingStream } from '../transport/counting-stream';
import { UploadHttpError } from '../transport/upload-http-error';
import { type XhrAnswer, xhrRequest } from '../transport/xhr-request';

/** One answer of a tus server. */
export type TusAnswer = XhrAnswer;

export interface TusRequest {
  method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as `application/offset+octet-stream`. */
  body?: Blob;
  signal?: AbortSignal;
  /** Bytes of the body the network took so far. */
  onBytes?: (sent: number) => void;
  withCredentials?: boolean;
}

/** How requests go out: `XMLHttpRequest` (real upload progress in browsers) or `fetch`. */
export type TusSend = (request: TusRequest) => Promise<TusAnswer>;

function isBrowserWindow(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

/**
 * Requests through `fetch`. Outside browsers the body is streamed (`duplex: 'half'`) so
 * progress counts what the network took; browsers stream request bodies only over HTTP/2,
 * so there the Blob is sent whole (progress then moves per request).
 */
export function fetchSend(doFetch?: typeof fetch): TusSend {
  return async (request) => {
    const { body, signal } = request;
    if (signal?.aborted) throw abortError();
    const headers = { ...request.headers };
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      credentials: request.withCredentials ? 'include' : 'same-origin',
      ...(signal ? { signal } : {}),
    };
    if (body) {
      headers['content-type'] = 'application/offset+octet-stream';
      if (isBrowserWindow()) {
        init.body = body;
      } else {
        headers['content-length'] = String(body.size);
        init.body = countingStream([body], { onBytes: request.onBytes, signal });
        init.duplex = 'half';
      }
    }
    try {
      const response = await (doFetch ?? globalThis.fetch)(request.url, init);
      const text = request.method === 'HEAD' ? '' : await response.text();
      if (body) request.onBytes?.(body.size);
      return {
        status: response.status,
        statusText: response.statusText,
        header: (name) => response.headers.get(name),
        text,
      };
    } catch (error) {
      if (signal?.aborted) throw abortError();
      throw UploadHttpError.network(
        error instanceof Error && error.message ? error.message : undefined,
      );
    }
  };
}

/** Requests through `XMLHttpRequest`: `xhr.upload` reports the bytes really sent. */
export function xhrSend(): TusSend {
  return (request) =>
    xhrRequest({
      method: request.method,
      url: request.url,
      headers: request.body
        ? { ...request.headers, 'Content-Type': 'application/offset+octet-stream' }
        : request.headers,
      withCredentials: request.withCredentials ?? false,
      body: request.body ?? null,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onBytes ? { onUploadProgress: request.onBytes } : {}),
    });
}
