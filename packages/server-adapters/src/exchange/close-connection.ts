import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers that close their connection once the body is drained. */
const closing = new WeakSet<ServerResponse>();

/**
 * Whether the answer about to go is an early one: some of the body is still on its way, and
 * it will not all be read.
 */
export function bodyUnread(req: IncomingMessage | undefined): boolean {
  return req !== undefined && !req.complete && !req.destroyed;
}

/**
 * Makes the connection close after this answer (the caller sends `Connection: close`), so a
 * keep-alive client opens a new one for its next request instead of reusing a socket whose
 * unread body is still arriving. Node destroys such a socket the moment the answer is
 * flushed, and a client still sending then gets a reset that can discard the answer before
 * it was read; so only our side is ended there, and `discardRequestBody` reads the rest
 * (bounded) before it closes the socket.
 */
export function closeAfterAnswer(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
  };
  closing.add(res);
}

/** Whether `closeAfterAnswer` was called for this answer. */
export function closesAfterAnswer(res: ServerResponse): boolean {
  return closing.has(res);
}
