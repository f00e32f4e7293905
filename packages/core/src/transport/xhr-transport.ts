import { abortError } from '../shared/abort';
import { resolveHeaders } from '../shared/headers';
import { uploadResult } from './http-answer';
import type { HttpTransportOptions } from './http-transport-options';
import type { Transport } from './transport';
import { uploadForm } from './upload-fields';
import { xhrRequest } from './xhr-request';

export type XhrTransportOptions = HttpTransportOptions;

/**
 * Sends each item as a multipart/form-data POST through `XMLHttpRequest`: the metadata
 * fields, then the file under `fieldName`. Progress comes from `xhr.upload`; the JSON answer
 * becomes the resolved value; a non-2xx answer rejects with an `UploadHttpError` carrying the
 * server's error code, a failed connection with code `network-error`.
 */
export function xhrTransport<R = unknown>(options: XhrTransportOptions): Transport<R> {
  return async (item, { signal, onProgress, metadata }) => {
    // Before the headers are asked for (a function of the app's) and the form is built: a
    // transport of the app's own may hand on a signal that aborted while it awaited.
    if (signal.aborted) throw abortError();
    const answer = await xhrRequest({
      method: 'POST',
      url: options.endpoint,
      headers: resolveHeaders(options.headers),
      withCredentials: options.withCredentials ?? false,
      body: uploadForm(item, metadata, options.fieldName),
      signal,
      onUploadProgress: (loaded, total) => onProgress(loaded, total ?? item.size),
    });
    return uploadResult<R>(answer);
  };
}
