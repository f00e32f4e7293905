/** Request headers, or a function called before each request (fresh tokens). */
export type HeaderSource = Record<string, string> | (() => Record<string, string>);

export function resolveHeaders(headers: HeaderSource | undefined): Record<string, string> {
  if (!headers) return {};
  return typeof headers === 'function' ? headers() : headers;
}
