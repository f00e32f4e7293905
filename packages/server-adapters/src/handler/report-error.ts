import { toHandlerError } from './errors';
import type { HandlerContext, HandlerOptions } from './handler-types';

/**
 * Tells `onError` of an error the client only sees as a 5xx (a full disk, a bucket that
 * refuses): the answer names no internals, so this is where the operator learns the cause.
 * A hook that throws or rejects changes nothing of the answer.
 */
export function reportError<F, R extends object>(
  options: HandlerOptions<F, R>,
  error: unknown,
  ctx: HandlerContext<F, R>,
): void {
  if (!options.onError || toHandlerError(error).status < 500) return;
  try {
    void Promise.resolve(options.onError(error, ctx)).catch(() => {});
  } catch {
    // The operator's logger failing is no reason to fail the answer too.
  }
}
