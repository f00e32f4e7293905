import { fetchTransport } from './fetch-transport';
import type { HttpTransportOptions } from './http-transport-options';
import { prefersXhr } from './prefers-xhr';
import type { Transport } from './transport';
import { xhrTransport } from './xhr-transport';

/**
 * `xhrTransport` where `XMLHttpRequest` exists (browsers: real upload progress), else
 * `fetchTransport`, chosen at each call as `tusTransport` chooses.
 */
export function defaultTransport<R = unknown>(options: HttpTransportOptions): Transport<R> {
  const viaXhr = xhrTransport<R>(options);
  const viaFetch = fetchTransport<R>(options);
  return (item, context) => (prefersXhr() ? viaXhr(item, context) : viaFetch(item, context));
}
