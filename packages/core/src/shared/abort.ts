/**
 * The error an abort rejects with: a `DOMException` named `AbortError`, as `fetch` throws,
 * or a plain `Error` of that name where the runtime has no `DOMException`.
 */
export function abortError(message = 'The upload was aborted'): Error {
  return typeof DOMException === 'undefined'
    ? Object.assign(new Error(message), { name: 'AbortError' })
    : new DOMException(message, 'AbortError');
}

/** An abort, whoever made it: ours (`abortError`), `fetch`'s or a signal's reason. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}
