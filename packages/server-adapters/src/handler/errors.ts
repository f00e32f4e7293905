import type { ServerResponse } from 'node:http';
import { type MessageDetails, messageFor } from '@updown/core/rules';
import type { Exchange } from '../exchange/exchange';
import { nodeExchange } from '../exchange/node-exchange';

/**
 * The error codes of the HTTP contract. A custom `validate` may answer codes of its own; they
 * are sent as given with status 422.
 */
export type HandlerErrorCode =
  | 'malformed-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'request-timeout'
  | 'file-too-large'
  | 'too-many-files'
  | 'request-too-large'
  | 'file-invalid-type'
  | 'range-not-satisfiable'
  | 'file-too-small'
  | 'validation-failed'
  | 'storage-error'
  | 'server-busy'
  | 'method-not-allowed'
  | 'offset-mismatch'
  | 'upload-expired'
  | 'unsupported-version'
  | 'unsupported-media-type'
  | 'locked'
  | 'checksum-mismatch'
  | 'upload-completed'
  | (string & {});

/** The status each known code is answered with; unknown codes get 422. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  'malformed-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'request-timeout': 408,
  'file-too-large': 413,
  'too-many-files': 413,
  'request-too-large': 413,
  'file-invalid-type': 415,
  'range-not-satisfiable': 416,
  'file-too-small': 422,
  'validation-failed': 422,
  'storage-error': 500,
  'server-busy': 503,
  // The tus routes' own.
  'method-not-allowed': 405,
  'offset-mismatch': 409,
  'upload-expired': 410,
  'unsupported-version': 412,
  'unsupported-media-type': 415,
  locked: 423,
  'checksum-mismatch': 460,
  // The direct-to-bucket routes' own: an abort that came after the completion.
  'upload-completed': 409,
};

export function statusForCode(code: HandlerErrorCode): number {
  return STATUS_BY_CODE[code] ?? 422;
}

/**
 * An error meant for the client: its `code` and `message` are sent as JSON with `status`.
 * Throw one from `authorize`, `onUploaded` or `validate` to answer with it.
 */
export class HandlerError extends Error {
  readonly code: HandlerErrorCode;
  readonly status: number;
  /** Sent with the error's answer (a tus `Upload-Offset`, an `Allow`). */
  readonly headers: Readonly<Record<string, string>>;
  /** What a replacement message may say: the file's name, size and type, the limit broken. */
  readonly details: Readonly<Omit<MessageDetails, 'message'>>;

  constructor(
    code: HandlerErrorCode,
    message: string,
    options: {
      status?: number;
      headers?: Record<string, string>;
      details?: Omit<MessageDetails, 'message'>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandlerError';
    this.code = code;
    this.status = options.status ?? statusForCode(code);
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}

export function isHandlerError(value: unknown): value is HandlerError {
  return value instanceof HandlerError;
}

const GENERIC_MESSAGE = 'The file could not be stored';

/**
 * Anything thrown becomes a `HandlerError`; an error that is not one already becomes a 500
 * `storage-error` with a generic message, because its own message may name paths or hosts.
 */
export function toHandlerError(error: unknown): HandlerError {
  if (isHandlerError(error)) return error;
  return new HandlerError('storage-error', GENERIC_MESSAGE, { cause: error });
}

/**
 * Answers `{ error: { code, message } }` with the error's status. Only the code and the
 * message of a `HandlerError` leave the server, never a stack or a path.
 */
export function answerError(
  exchange: Exchange,
  error: unknown,
  headers: Record<string, string> = {},
): void {
  const err = toHandlerError(error);
  if (exchange.answered) {
    // The answer already started: the only honest signal left is a broken connection.
    exchange.abort();
    return;
  }
  const message = exchange.messages
    ? messageFor(exchange.messages, err.code, {
        ...err.details,
        status: err.status,
        message: err.message,
      })
    : err.message;
  const body = JSON.stringify({ error: { code: err.code, message } });
  // An answer before the body's end: the rest will not be read, so the connection goes.
  const early = exchange.bodyUnread;
  if (early) exchange.closeAfterAnswer();
  exchange.send(
    err.status,
    {
      ...(early ? { Connection: 'close' } : {}),
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
      ...err.headers,
    },
    body,
  );
}

/** `answerError` on Node's response, for an app that answers a request itself. */
export function sendError(
  res: ServerResponse,
  error: unknown,
  headers: Record<string, string> = {},
): void {
  answerError(nodeExchange(res.req, res), error, headers);
}
