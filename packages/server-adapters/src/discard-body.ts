import type { IncomingMessage, ServerResponse } from 'node:http';

export interface DiscardOptions {
  /** Bytes read and thrown away before the connection is closed instead. Defaults to 1 MiB. */
  maxBytes?: number;
  /** Time given to the rest of the body before the connection is closed. Defaults to 5 s. */
  timeoutMs?: number;
}

/**
 * After an early answer (a 413 at the limit, a 403 before the body), the rest of the body
 * is still on its way. Once the answer is flushed, read a bounded amount so a small remainder
 * keeps the connection reusable; past the bound, destroy the socket rather than read a
 * large body to its end. Waiting for the flush gives the client time to read the answer
 * before a reset could discard it.
 */
export function discardRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  options: DiscardOptions = {},
): void {
  if (req.complete || req.readableEnded || req.destroyed) return;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const start = () => {
    if (req.complete && req.readableEnded) return;
    let seen = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
    };
    const stop = () => {
      cleanup();
      req.socket?.destroy();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) stop();
    };
    const timer = setTimeout(stop, timeoutMs);
    timer.unref();
    req.on('data', onData);
    req.once('end', cleanup);
    req.once('close', cleanup);
    req.resume();
  };
  if (res.writableFinished) start();
  else {
    res.once('finish', start);
    // A response that never finishes (socket gone) needs no drain.
    res.once('close', () => res.off('finish', start));
  }
}
