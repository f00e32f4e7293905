import type { Exchange } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { Storage } from '../storage/storage';

/** `DELETE /:id`: 204 when the file was there and is gone, 404 when there was none. */
export async function deleteFile(exchange: Exchange, storage: Storage, id: string): Promise<void> {
  if (!(await storage.delete(id))) throw new HandlerError('not-found', 'No such file');
  exchange.send(204, {});
}
