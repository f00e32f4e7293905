import { abortError } from './http-transport-options';
import { UploadHttpError } from './upload-http-error';

/** One answer of a tus server. */
export interface TusAnswer {
  status: number;
  statusText: string;
  header(name: string): string | null;
  text: string;
}

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

const SLICE = 64 * 1024;

/** The blob as a stream that reads one slice at a time and counts what was taken. */
function countingStream(
  blob: Blob,
  onBytes: ((sent: number) => void) | undefined,
): ReadableStream<Uint8Array> {
  let position = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (position >= blob.size) {
          controller.close();
          return;
        }
        const end = Math.min(blob.size, position + SLICE);
        const bytes = new Uint8Array(await blob.slice(position, end).arrayBuffer());
        position = end;
        controller.enqueue(bytes);
        onBytes?.(position);
      },
    },
    { highWaterMark: 0 },
  );
}

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
        init.body = countingStream(body, request.onBytes);
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
    new Promise<TusAnswer>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const done = () => signal?.removeEventListener('abort', onAbort);
      xhr.open(request.method, request.url);
      xhr.withCredentials = request.withCredentials ?? false;
      for (const [name, value] of Object.entries(request.headers))
        xhr.setRequestHeader(name, value);
      if (request.body) {
        xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
        xhr.upload.onprogress = (event) => request.onBytes?.(event.loaded);
      }
      xhr.onload = () => {
        done();
        resolve({
          status: xhr.status,
          statusText: xhr.statusText,
          header: (name) => xhr.getResponseHeader(name),
          text: typeof xhr.responseText === 'string' ? xhr.responseText : '',
        });
      };
      xhr.onerror = () => {
        done();
        reject(UploadHttpError.network());
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        done();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send(request.body ?? null);
    });
}
