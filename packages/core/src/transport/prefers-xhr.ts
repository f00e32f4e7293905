/**
 * Whether a request goes through `XMLHttpRequest` (real progress of the bytes in flight)
 * rather than `fetch`: as asked, else wherever `XMLHttpRequest` exists. Decided at each
 * call, never at import, so one bundle serves browsers and servers.
 */
export function prefersXhr(choice?: 'xhr' | 'fetch'): boolean {
  return choice === undefined ? typeof XMLHttpRequest !== 'undefined' : choice === 'xhr';
}
