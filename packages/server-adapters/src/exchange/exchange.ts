import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Messages } from '@updown/core/rules';

/**
 * A request body as the intake reads it: a Node stream (Node's `IncomingMessage` itself under
 * the Node adapters, a stream over `Request.body` under the fetch entry) that knows its
 * request's headers and whether every byte of it arrived.
 */
export interface RequestBody extends Readable {
  readonly headers: IncomingHttpHeaders;
  /** `true` once the body was read to its end; a body cut short never becomes complete. */
  readonly complete: boolean;
}

/** The headers of an answer, names as they are sent. */
export type AnswerHeaders = Record<string, string | number>;

/** What the hooks see of a request under the Node adapters: Node's own objects. */
export interface NodeRequestParts {
  req: IncomingMessage;
  res: ServerResponse;
}

/** What the hooks see of a request under the fetch entry: the web-standard `Request`. */
export interface WebRequestParts {
  request: Request;
}

/**
 * One request and its answer, whatever runtime carries them: what the handler reads (method,
 * URL, headers, body, whether the client is still there) and how it answers (a status and
 * headers, then no body, a body given whole, or a stream). The Node exchange passes straight
 * through to `req`/`res`; the web one turns a `Request` into this shape and resolves a
 * `Response`.
 */
export interface Exchange<R extends object = object> {
  readonly method: string;
  /** The request target as received, path and query: `/api/files/upload?x=1`. */
  readonly url: string;
  /** Lower-case names, as Node spells them. */
  readonly headers: IncomingHttpHeaders;
  /** The body, read at most once, never buffered whole. */
  readonly body: RequestBody;
  /** The runtime's own request objects, handed to the hooks in their context. */
  readonly parts: R;
  /** The client went away: its connection closed, or its request's signal aborted. */
  readonly gone: boolean;
  /** The answer began: its status and headers are gone, so an error can only cut the line. */
  readonly answered: boolean;
  /**
   * The handler's replacements for its error messages, set by the dispatcher, so that every
   * error answer of this exchange is worded the same, whichever route gives it.
   */
  messages?: Messages;
  /** Some of the body is still on its way and will not all be read (an early answer). */
  readonly bodyUnread: boolean;
  /** Answers with a body given whole (or none, for a `HEAD`, a 204 or a 304). */
  send(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void;
  /**
   * Answers with a body streamed from `body` with backpressure; resolves once it is sent, or
   * once the client left or `body` failed (the line is then cut and `body` destroyed).
   */
  stream(status: number, headers: AnswerHeaders, body: Readable): Promise<void>;
  /** Cuts the line: an answer that already began cannot carry an error any more. */
  abort(): void;
  /** The connection closes once this answer is out (the caller sends `Connection: close`). */
  closeAfterAnswer(): void;
  /**
   * The handler is done with the request: what is left of the body is read, bounded, and
   * thrown away, or the connection is closed instead.
   */
  finish(): void;
}
