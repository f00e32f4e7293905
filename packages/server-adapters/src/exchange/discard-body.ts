import type { IncomingMessage, ServerResponse } from 'node:http';
import { closesAfterAnswer } from './close-connection';

/** Bytes read and thrown away before the connection is closed instead. */
const MAX_DISCARD_BYTES = 1024 * 1024;
/** Time given to the rest of the body before the connection is closed. */
const DISCARD_TIMEOUT_MS = 5_000;

/**
 * After an early answer (a 413 at the limit, a 403 before the body), the rest of the body
 * is still on its way. Once the answer is flushed, read a bounded amount so a small remainder
 * keeps the connection reusable (or, after `closeAfterAnswer`, so the client reads the answer
 * before the socket closes); past the bound, destroy the socket rather than read a large body
 * to its end. Waiting for the flush gives the client time to read the answer before a reset
 * could discard it.
 */
export function discardRequestBody(req: IncomingMessage, res: ServerResponse): void {
  const close = closesAfterAnswer(res);
  if (!close && (req.complete || req.readableEnded || req.destroyed)) return;
  const start = () => {
    if (req.destroyed) return;
    if (req.complete && req.readableEnded) {
      if (close) req.socket?.destroy();
      return;
    }
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
      if (seen > MAX_DISCARD_BYTES) stop();
    };
    const timer = setTimeout(stop, DISCARD_TIMEOUT_MS);
    timer.unref();
    req.on('data', onData);
    // Every byte is in: a closing connection has nothing left to wait for.
    req.once('end', close ? stop : cleanup);
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
