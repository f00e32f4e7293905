/** Options shared by `xhrTransport`, `fetchTransport` and `defaultTransport`. */
export interface HttpTransportOptions {
  /** Where the multipart form is POSTed. */
  endpoint: string;
  /** Form field of the file part. Defaults to `'file'`. */
  fieldName?: string;
  /** Extra request headers, or a function called before each request (fresh tokens). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Send cookies cross-origin. Defaults to `false`. */
  withCredentials?: boolean;
}

export function resolveHeaders(headers: HttpTransportOptions['headers']): Record<string, string> {
  if (!headers) return {};
  return typeof headers === 'function' ? headers() : headers;
}

/** The fields sent before the file: the metadata, and the folder path of a dropped folder's file. */
export function formFields(
  metadata: Readonly<Record<string, string>>,
  relativePath: string | undefined,
): [string, string][] {
  const fields = Object.entries(metadata);
  if (relativePath && !('relativePath' in metadata)) fields.push(['relativePath', relativePath]);
  return fields;
}

export function abortError(): DOMException {
  return new DOMException('The upload was aborted', 'AbortError');
}

/** An abort, whoever made it: ours (`abortError`), `fetch`'s or a signal's reason. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}
