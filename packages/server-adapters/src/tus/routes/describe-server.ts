import { answer } from '../tus-answer';
import { CHECKSUM_ALGORITHMS } from '../tus-checksum';
import { TUS_EXTENSIONS, TUS_VERSION } from '../tus-protocol';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** `OPTIONS`: what this server speaks; needs no `Tus-Resumable` and no authorization. */
export function describeServer<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange }: Pick<TusCall<F, R>, 'exchange'>,
): void {
  const max = rt.limits.fileSize;
  answer(exchange, 204, {
    'Tus-Version': TUS_VERSION,
    'Tus-Extension': TUS_EXTENSIONS.join(','),
    // A whole number of bytes; no header at all when there is no limit.
    ...(Number.isFinite(max) ? { 'Tus-Max-Size': Math.floor(max) } : {}),
    'Tus-Checksum-Algorithm': CHECKSUM_ALGORITHMS.join(','),
  });
}
