/**
 * How every storage says "no such file or upload": an error with Node's `ENOENT` code, so
 * the handler answers 404 for a missing file whichever store it came from.
 */
export function notFoundError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ENOENT' });
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
