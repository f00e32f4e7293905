import type { HeaderSource } from '../shared/headers';
/** Options shared by `xhrTransport`, `fetchTransport` and `defaultTransport`. */
export interface HttpTransportOptions {
  /** Where the multipart form is POSTed. */
  endpoint: string;
  /** Form field of the file part. Defaults to `'file'`. */
  fieldName?: string;
  /** Extra request headers, or a function called before each request (fresh tokens). */
  headers?: HeaderSource;
  /** Send cookies cross-origin. Defaults to `false`. */
  withCredentials?: boolean;
}
