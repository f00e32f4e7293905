import { abortError } from '../shared/abort';
import { resolveHeaders } from '../shared/headers';
import { fetchRequest } from './fetch-request';
import { uploadResult } from './http-answer';
import type { HttpTransportOptions } from './http-transport-options';
import { multipartBody } from './multipart-body';
import type { Transport } from './transport';
import { formFields } from './upload-fields';

export interface FetchTransportOptions extends HttpTransportOptions {
  /** The `fetch` to call. Defaults to `globalThis.fetch`, looked up at each request. */
  fetch?: typeof fetch;
  /** Bytes handed to the network at once: the grain of progress events. Defaults to 64 KiB. */
  sliceSize?: number;
}

/**
 * Sends each item as a multipart/form-data POST through `fetch` with a streamed body, for
 * runtimes without `XMLHttpRequest` (Node, Deno, Bun, workers). The body is written here, so
 * progress counts the bytes the network really took and `Content-Length` is exact.
 * Browsers only stream request bodies over HTTP/2; there, prefer `xhrTransport`.
 */
export function fetchTransport<R = unknown>(options: FetchTransportOptions): Transport<R> {
  return async (item, { signal, onProgress, metadata }) => {
    if (signal.aborted) throw abortError();
    const multipart = multipartBody({
      fields: formFields(metadata, item.relativePath),
      fieldName: options.fieldName ?? 'file',
      file: { blob: item.file, filename: item.name, type: item.type },
      sliceSize: options.sliceSize,
      signal,
      onBytes: (sent) => {
        if (!signal.aborted) onProgress(sent, multipart.length);
      },
    });
    const answer = await fetchRequest({
      method: 'POST',
      url: options.endpoint,
      headers: {
        ...resolveHeaders(options.headers),
        'content-type': multipart.contentType,
        'content-length': String(multipart.length),
      },
      body: multipart.body,
      duplex: 'half',
      withCredentials: options.withCredentials ?? false,
      signal,
      fetch: options.fetch,
    });
    return uploadResult<R>(answer);
  };
}
