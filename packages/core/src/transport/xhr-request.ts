import { abortError } from '../shared/abort';
import type { HttpAnswer } from './http-answer';
import { UploadHttpError } from './upload-http-error';

export interface XhrRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  withCredentials?: boolean;
  body?: XMLHttpRequestBodyInit | null;
  signal?: AbortSignal;
  /** Bytes of the body sent so far, and the whole when the browser knows it. */
  onUploadProgress?: (loaded: number, total: number | null) => void;
}

/**
 * One request through `XMLHttpRequest`, whose `upload` events report the bytes really sent
 * (the one thing `fetch` cannot do in browsers over HTTP/1.1). Resolves with any answer;
 * rejects with an `AbortError` when `signal` aborts, and with a `network-error`
 * `UploadHttpError` when the connection fails or times out.
 */
export function xhrRequest(request: XhrRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const { signal, onUploadProgress } = request;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.open(request.method, request.url);
    xhr.withCredentials = request.withCredentials ?? false;
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    if (onUploadProgress) {
      xhr.upload.onprogress = (event) =>
        onUploadProgress(event.loaded, event.lengthComputable ? event.total : null);
    }
    xhr.onload = () => {
      done();
      resolve({
        status: xhr.status,
        statusText: xhr.statusText,
        header: (name) => xhr.getResponseHeader(name),
        text: xhr.responseText,
      });
    };
    xhr.onerror = () => {
      done();
      reject(UploadHttpError.network());
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(request.body ?? null);
  });
}
