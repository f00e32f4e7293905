import { abortError } from '../shared/abort';
import { resolveHeaders } from '../shared/headers';
import { parseAnswer } from '../shared/http-error';
import type { HttpTransportOptions } from './http-transport-options';
import { multipartBody } from './multipart-body';
import type { Transport } from './transport';
import { formFields } from './upload-fields';
import { UploadHttpError } from './upload-http-error';

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
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: {
        ...resolveHeaders(options.headers),
        'content-type': multipart.contentType,
        'content-length': String(multipart.length),
      },
      body: multipart.body,
      duplex: 'half',
      credentials: options.withCredentials ? 'include' : 'same-origin',
      signal,
    };
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(options.endpoint, init);
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw abortError();
      if (error instanceof UploadHttpError) throw error;
      throw UploadHttpError.network(
        error instanceof Error && error.message ? error.message : undefined,
      );
    }
    if (!response.ok) throw UploadHttpError.fromAnswer(response.status, response.statusText, text);
    return parseAnswer(text) as R;
  };
}
