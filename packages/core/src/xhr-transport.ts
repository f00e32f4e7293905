import {
  abortError,
  formFields,
  type HttpTransportOptions,
  resolveHeaders,
} from './http-transport-options';
import type { Transport } from './transport';
import { parseAnswer, UploadHttpError } from './upload-http-error';

export type XhrTransportOptions = HttpTransportOptions;

/**
 * Sends each item as a multipart/form-data POST through `XMLHttpRequest`: the metadata
 * fields, then the file under `fieldName`. Progress comes from `xhr.upload`; the JSON answer
 * becomes the resolved value; a non-2xx answer rejects with an `UploadHttpError` carrying the
 * server's error code, a failed connection with code `network-error`.
 */
export function xhrTransport<R = unknown>(options: XhrTransportOptions): Transport<R> {
  return (item, { signal, onProgress, metadata }) =>
    new Promise<R>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError());
        return;
      }
      const form = new FormData();
      for (const [name, value] of formFields(metadata, item.relativePath)) form.append(name, value);
      form.append(options.fieldName ?? 'file', item.file, item.name);

      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const done = () => signal.removeEventListener('abort', onAbort);
      xhr.open('POST', options.endpoint);
      xhr.withCredentials = options.withCredentials ?? false;
      for (const [name, value] of Object.entries(resolveHeaders(options.headers))) {
        xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => {
        onProgress(event.loaded, event.lengthComputable ? event.total : item.size);
      };
      xhr.onload = () => {
        done();
        const text = typeof xhr.responseText === 'string' ? xhr.responseText : '';
        if (xhr.status >= 200 && xhr.status < 300) resolve(parseAnswer(text) as R);
        else reject(UploadHttpError.fromAnswer(xhr.status, xhr.statusText, text));
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
      signal.addEventListener('abort', onAbort, { once: true });
      xhr.send(form);
    });
}
