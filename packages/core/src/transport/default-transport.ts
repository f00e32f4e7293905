import { abortError } from '../shared/abort';
import { resolveHeaders } from '../shared/headers';
import { fetchRequest } from './fetch-request';
import { uploadResult } from './http-answer';
import type { HttpTransportOptions } from './http-transport-options';
import { prefersXhr } from './prefers-xhr';
import type { Transport } from './transport';
import { uploadForm } from './upload-fields';
import { xhrTransport } from './xhr-transport';

/**
 * `xhrTransport` where `XMLHttpRequest` exists (browsers: real upload progress), chosen at
 * each call; elsewhere (Node, Deno, workers) the same form as a `FormData` through `fetch`,
 * its progress told once, when the answer came. `fetchTransport` streams its body and counts
 * every slice there; it is not in here so that a browser bundle does not carry it.
 */
export function defaultTransport<R = unknown>(options: HttpTransportOptions): Transport<R> {
  const viaXhr = xhrTransport<R>(options);
  return async (item, context) => {
    if (prefersXhr()) return viaXhr(item, context);
    const { signal } = context;
    if (signal.aborted) throw abortError();
    const result = uploadResult<R>(
      await fetchRequest({
        method: 'POST',
        url: options.endpoint,
        headers: resolveHeaders(options.headers),
        body: uploadForm(item, context.metadata, options.fieldName),
        withCredentials: options.withCredentials,
        signal,
      }),
    );
    context.onProgress(item.size, item.size);
    return result;
  };
}
