import type { IncomingMessage } from 'node:http';

/** The own symbols of a @hono/node-server `Request`, by description: what it was made from. */
const INCOMING = 'incomingKey';
/** The whole web `Request` it makes on first need, `body` (a `Readable.toWeb`) included. */
const MADE = 'requestCache';

/** The value of `request`'s own symbol of this description, if it has one. */
function ownSymbol(request: object, description: string): unknown {
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    if (symbol.description === description) return (request as Record<symbol, unknown>)[symbol];
  }
  return undefined;
}

/** An HTTP/1 `IncomingMessage` nobody has read, paused or destroyed yet, duck-typed. */
function isUnreadIncoming(value: unknown): value is IncomingMessage {
  const incoming = value as Partial<IncomingMessage> | null;
  return (
    typeof incoming === 'object' &&
    incoming !== null &&
    typeof incoming.headers === 'object' &&
    typeof incoming.read === 'function' &&
    typeof incoming.on === 'function' &&
    // HTTP/2's compatibility request has its own stream and drain rules.
    typeof incoming.httpVersionMajor === 'number' &&
    incoming.httpVersionMajor < 2 &&
    // A host that read the body already (Google Cloud Functions) leaves it here instead.
    !('rawBody' in incoming) &&
    incoming.readableDidRead === false &&
    incoming.readableFlowing === null &&
    incoming.readableEncoding === null &&
    incoming.readableEnded === false &&
    incoming.destroyed === false
  );
}

/**
 * The Node request a @hono/node-server `Request` stands for (`env.incoming`), when its body
 * can be read from it directly: nothing read, paused or destroyed the `IncomingMessage`, and
 * the `Request` is that server's own lazy one over it, which has neither been read
 * (`bodyUsed`) nor made its web body yet. Asking for `request.body` would make that body, and
 * its first pull would start reading the `IncomingMessage` beside us; so anything else (Bun,
 * Deno, Workers, a `Request` made anew, a body a middleware touched) is `undefined`, and read
 * through `request.body` as before. Only `request`'s own properties are looked at.
 */
export function untouchedIncoming(env: unknown, request: Request): IncomingMessage | undefined {
  const incoming = (env as { incoming?: unknown } | null | undefined)?.incoming;
  if (!isUnreadIncoming(incoming)) return undefined;
  if (ownSymbol(request, INCOMING) !== incoming || ownSymbol(request, MADE) !== undefined) {
    return undefined;
  }
  return request.bodyUsed ? undefined : incoming;
}
