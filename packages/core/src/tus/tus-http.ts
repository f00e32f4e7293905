import { countingStream } from '../transport/counting-stream';
import { fetchRequest } from '../transport/fetch-request';
import type { HttpAnswer } from '../transport/http-answer';
import { xhrRequest } from '../transport/xhr-request';

/** One answer of a tus server. */
export type TusAnswer = HttpAnswer;

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

/**
 * How `tusTransport`'s requests go out: `XMLHttpRequest` by default (real upload progress in
 * browsers), or `tusFetch()` where there is none.
 */
export type TusSend = (request: TusRequest) => Promise<TusAnswer>;

function isBrowserWindow(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

/**
 * `tusTransport`'s requests through `fetch`, for Node, Deno and service workers (pass it as
 * `request`; it is an import so that browser bundles, which use `XMLHttpRequest`, leave it
 * out). Outside browsers the body is streamed (`duplex: 'half'`) so progress counts what
 * the network took; browsers stream request bodies only over HTTP/2, so there the Blob is
 * sent whole (progress then moves per request). `doFetch` defaults to `globalThis.fetch`,
 * looked up at each request.
 *
 * @example
 * tusTransport({ endpoint: 'https://files.example/tus', request: tusFetch() })
 */
export function tusFetch(doFetch?: typeof fetch): TusSend {
  return async (request) => {
    const { body, signal, onBytes } = request;
    const headers = { ...request.headers };
    const streamed = body !== undefined && !isBrowserWindow();
    if (body) headers['content-type'] = 'application/offset+octet-stream';
    if (streamed) headers['content-length'] = String(body.size);
    const answer = await fetchRequest({
      method: request.method,
      url: request.url,
      headers,
      body: streamed ? countingStream([body], { onBytes, signal }) : body,
      duplex: streamed ? 'half' : undefined,
      withCredentials: request.withCredentials,
      signal,
      fetch: doFetch,
    });
    if (body) onBytes?.(body.size);
    return answer;
  };
}

/** Requests through `XMLHttpRequest`: `xhr.upload` reports the bytes really sent. */
export function xhrSend(request: TusRequest): Promise<TusAnswer> {
  return xhrRequest({
    ...request,
    headers: request.body
      ? { ...request.headers, 'Content-Type': 'application/offset+octet-stream' }
      : request.headers,
    onUploadProgress: request.onBytes,
  });
}
