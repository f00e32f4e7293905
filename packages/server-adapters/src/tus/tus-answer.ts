import type { Exchange } from '../exchange/exchange';
import { answerError } from '../handler/errors';
import { EXPOSED_HEADERS, TUS_VERSION } from './tus-protocol';

/** Sent with every tus answer, errors included. */
const TUS_HEADERS: Readonly<Record<string, string>> = {
  'Tus-Resumable': TUS_VERSION,
  'Access-Control-Expose-Headers': EXPOSED_HEADERS,
};

/** A tus answer without a body. */
export function answer(
  exchange: Exchange,
  status: number,
  headers: Record<string, string | number> = {},
): void {
  exchange.send(status, { ...TUS_HEADERS, ...headers });
}

/** An error as the JSON answer of the contract, with the tus headers and the error's own. */
export function fail(exchange: Exchange, error: unknown): void {
  answerError(exchange, error, TUS_HEADERS);
}
