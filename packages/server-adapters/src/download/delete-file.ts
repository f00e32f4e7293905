import type { Exchange } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { Storage } from '../storage/storage';
import { etagOf } from './file-headers';
import { answerPreconditionFailed } from './precondition-failed';
import { evaluatePreconditions } from './preconditions';

/** The request headers that make a `DELETE` conditional (RFC 9110 13.1). */
function isConditional(exchange: Exchange): boolean {
  const { headers } = exchange;
  return (
    headers['if-match'] !== undefined ||
    headers['if-none-match'] !== undefined ||
    headers['if-unmodified-since'] !== undefined
  );
}

/**
 * `DELETE /:id`: 204 when the file was there and is gone, 404 when there was none, 412 when
 * the request's `If-Match`, `If-None-Match` or `If-Unmodified-Since` does not hold for the
 * file (RFC 9110 13.1: the method is not performed), so a client deletes only the version it
 * saw.
 */
export async function deleteFile(exchange: Exchange, storage: Storage, id: string): Promise<void> {
  if (isConditional(exchange)) {
    const meta = await storage.stat(id);
    if (!meta) throw new HandlerError('not-found', 'No such file');
    const etag = etagOf(meta);
    if (
      evaluatePreconditions(exchange.headers, etag, meta.createdAt, { safe: false }) !== 'proceed'
    ) {
      answerPreconditionFailed(exchange, etag);
      return;
    }
  }
  if (!(await storage.delete(id))) throw new HandlerError('not-found', 'No such file');
  exchange.send(204, {});
}
