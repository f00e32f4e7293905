import type { AuthData } from '../storage/storage';
import { HandlerError } from './errors';
import type { HandlerContext, HandlerOptions, Operation } from './handler-types';

/** Operations that destroy a file: refused unless an `authorize` says who may. */
const GUARDED_BY_DEFAULT: ReadonlySet<Operation> = new Set(['delete', 'tus-terminate']);

/**
 * Runs `authorize`. `false` means "known but not allowed" (403 `forbidden`); a thrown
 * `HandlerError` is answered as it is; any other throw means the caller could not be
 * identified (a token that fails to verify is the usual case), so 401 `unauthorized`.
 * Resolves with the record an `upload` or `tus-create` returned, to keep with the file.
 * Without `authorize`, `delete` and `tus-terminate` are refused: a download URL is often
 * shared, and holding it must not be enough to remove the file.
 */
export async function authorizeRequest<F, R extends object>(
  options: HandlerOptions<F, R>,
  ctx: HandlerContext<F, R>,
): Promise<AuthData | undefined> {
  if (!options.authorize) {
    if (!GUARDED_BY_DEFAULT.has(ctx.operation)) return undefined;
    throw new HandlerError(
      'forbidden',
      `Refused: ${ctx.operation} needs an authorize option that allows it`,
    );
  }
  let verdict: unknown;
  try {
    verdict = await options.authorize(ctx);
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    throw new HandlerError('unauthorized', 'Authentication required', { cause: error });
  }
  if (verdict === false) throw new HandlerError('forbidden', 'Not allowed');
  // A copy through JSON: what is kept is what every storage can keep, and the app's object
  // changing later changes nothing.
  return isRecord(verdict) ? (JSON.parse(JSON.stringify(verdict)) as AuthData) : undefined;
}

function isRecord(value: unknown): value is AuthData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
