import { HandlerError } from '../handler/errors';
import { idleTimer } from '../intake/idle-timer';

/**
 * What an app's own body parser made of the body before the handler saw it: Express's
 * `express.json()` in front of the middleware reads the stream to its end into `req.body`.
 */
function parsedBefore(body: object): unknown {
  const read = body as { readableEnded?: boolean; body?: unknown };
  return read.readableEnded && typeof read.body === 'object' ? read.body : undefined;
}

/**
 * A small JSON body, read whole: over `maxBytes` is 413 `request-too-large` at once (the
 * rest is not read), no byte for `idleTimeoutMs` is 408 `request-timeout`, and anything that
 * is not JSON is 400 `malformed-request`. An empty body reads as `{}`.
 */
export async function readJsonBody(
  body: AsyncIterable<Uint8Array>,
  limits: { maxBytes: number; idleTimeoutMs: number },
): Promise<unknown> {
  const parsed = parsedBefore(body);
  if (parsed !== undefined && parsed !== null) return parsed;
  let onIdle = () => {};
  const idle = new Promise<never>((_, reject) => {
    onIdle = () => reject(new HandlerError('request-timeout', 'The request body stopped coming'));
  });
  idle.catch(() => {});
  const timer = idleTimer(limits.idleTimeoutMs, onIdle);
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Not a for-await: leaving it early would destroy the request before the answer is sent.
  const source = body[Symbol.asyncIterator]();
  timer.touch();
  try {
    for (;;) {
      const next = await Promise.race([source.next(), idle]);
      if (next.done) break;
      timer.touch();
      size += next.value.length;
      if (size > limits.maxBytes) {
        throw new HandlerError(
          'request-too-large',
          `The request body is over ${limits.maxBytes} bytes`,
        );
      }
      chunks.push(next.value);
    }
  } finally {
    timer.stop();
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HandlerError('malformed-request', 'The request body is not JSON');
  }
}
