import type { Exchange } from '../exchange/exchange';
import { answerError, HandlerError } from '../handler/errors';
import { DOWNLOAD_CSP } from './content-headers';

/** The 412 of a file whose preconditions failed, naming the file's current validator. */
export function answerPreconditionFailed(exchange: Exchange, etag: string): void {
  answerError(
    exchange,
    new HandlerError('precondition-failed', 'The file does not match the precondition', {
      status: 412,
    }),
    { ETag: etag, 'Content-Security-Policy': DOWNLOAD_CSP },
  );
}
