import { UploadError } from './errors';
import type { HandlerContext, HandlerOptions } from './handler-types';

/**
 * Runs `authorize`. `false` means "known but not allowed" (403 `forbidden`); a thrown
 * `UploadError` is answered as it is; any other throw means the caller could not be
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
    if (error instanceof UploadError) throw error;
    throw new UploadError('unauthorized', 'Authentication required', { cause: error });
  }
  if (verdict === false) throw new UploadError('forbidden', 'Not allowed');
}
