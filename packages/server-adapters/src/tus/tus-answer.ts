import type { ServerResponse } from 'node:http';
import { sendError } from '../handler/errors';
import { EXPOSED_HEADERS, TUS_VERSION } from './tus-protocol';

/** Sent with every tus answer, errors included. */
const TUS_HEADERS: Readonly<Record<string, string>> = {
  'Tus-Resumable': TUS_VERSION,
  'Access-Control-Expose-Headers': EXPOSED_HEADERS,
};

/** A tus answer without a body. */
export function answer(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(status, { ...TUS_HEADERS, ...headers });
  res.end();
}

/** An error as the JSON answer of the contract, with the tus headers and the error's own. */
export function fail(res: ServerResponse, error: unknown): void {
  sendError(res, error, TUS_HEADERS);
}
