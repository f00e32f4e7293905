import { HandlerError } from './errors';
import type { HandlerContext, HandlerOptions } from './handler-types';

/**
 * Runs `authorize`. `false` means "known but not allowed" (403 `forbidden`); a thrown
 * `HandlerError` is answered as it is; any other throw means the caller could not be
 * identified (a token that fails to verify is the usual case), so 401 `unauthorized`.
 */
export async function authorizeRequest<F>(
  options: HandlerOptions<F>,
  ctx: HandlerContext<F>,
): Promise<void> {
  if (!options.authorize) return;
  let verdict: unknown;
  try {
    verdict = await options.authorize(ctx);
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    throw new HandlerError('unauthorized', 'Authentication required', { cause: error });
  }
  if (verdict === false) throw new HandlerError('forbidden', 'Not allowed');
}
