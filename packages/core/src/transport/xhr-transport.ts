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
  // An aborted signal rejects in xhrRequest, before anything is sent.
  return async (item, { signal, onProgress, metadata }) => {
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
