import { answer } from '../tus-answer';
import { CHECKSUM_ALGORITHMS } from '../tus-checksum';
import { TUS_EXTENSIONS, TUS_VERSION } from '../tus-protocol';
import type { TusCall, TusRuntime } from '../tus-runtime';

/** `OPTIONS`: what this server speaks; needs no `Tus-Resumable` and no authorization. */
export function describeServer<F, R extends object>(
  rt: TusRuntime<F, R>,
  { exchange }: Pick<TusCall<F, R>, 'exchange'>,
): void {
  answer(exchange, 204, {
    'Tus-Version': TUS_VERSION,
    'Tus-Extension': TUS_EXTENSIONS.join(','),
    'Tus-Max-Size': rt.limits.fileSize,
    'Tus-Checksum-Algorithm': CHECKSUM_ALGORITHMS.join(','),
  });
}
