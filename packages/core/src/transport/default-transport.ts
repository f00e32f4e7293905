import { fetchTransport } from './fetch-transport';
import type { HttpTransportOptions } from './http-transport-options';
import type { Transport } from './transport';
import { xhrTransport } from './xhr-transport';

/**
 * `xhrTransport` where `XMLHttpRequest` exists (browsers: real upload progress), else
 * `fetchTransport`. Decided at each call, not at import, so one bundle serves both.
 */
export function defaultTransport<R = unknown>(options: HttpTransportOptions): Transport<R> {
  const viaXhr = xhrTransport<R>(options);
  const viaFetch = fetchTransport<R>(options);
  return (item, context) =>
    typeof XMLHttpRequest !== 'undefined' ? viaXhr(item, context) : viaFetch(item, context);
}
