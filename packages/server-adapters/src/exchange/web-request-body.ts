import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { RequestBody } from './exchange';

/** The client went away before its body's end (its request's signal aborted). */
class ClientAbortedError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('The client aborted the request');
    this.name = 'ClientAbortedError';
  }
}

/**
 * A `Request`'s body as the Node stream the intake reads: each chunk is pulled from the web
 * stream only when the reader wants more (backpressure), never more than one at a time.
 * An abort of `signal` destroys it mid-body, so the intake sees the body cut short, as it sees
 * a Node connection closed early (an 'error' only for a listener, 'close' always); destroying
 * it cancels the web stream.
 */
export class WebRequestBody extends Readable implements RequestBody {
  readonly headers: IncomingHttpHeaders;
  complete = false;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | null;

  constructor(
    source: ReadableStream<Uint8Array> | null,
    headers: IncomingHttpHeaders,
    signal: AbortSignal,
  ) {
    super();
    this.headers = headers;
    if (source?.locked) {
      // Said for the app's onError: the stream's own 'ReadableStream is locked' named no culprit.
      throw new Error(
        'The request body was already read or locked before updown (a middleware such as ' +
          "Hono's bodyLimit, c.req.parseBody() or c.req.text()): updown reads its routes' bodies itself",
      );
    }
    this.#reader = source ? source.getReader() : null;
    const onAbort = () => {
      if (!this.complete) this.destroy(new ClientAbortedError());
    };
    if (signal.aborted) queueMicrotask(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }

  override _read(): void {
    const reader = this.#reader;
    if (!reader) {
      this.complete = true;
      this.push(null);
      return;
    }
    reader.read().then(
      ({ done, value }) => {
        if (this.destroyed) return;
        if (done) {
          this.complete = true;
          this.push(null);
        } else if (value.byteLength === 0) {
          // An empty chunk would not ask for the next one.
          this._read();
        } else {
          // A view, not a copy: the intake and busboy expect Buffers.
          this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        }
      },
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.complete && this.#reader) this.#reader.cancel(error ?? undefined).catch(() => {});
    // As Node's IncomingMessage does, a body cut short errors only for whoever listens: a
    // handler not reading it yet (waiting for a lock or its storage), or done with it, learns
    // from `destroyed` and 'close' instead of an 'error' nobody catches.
    process.nextTick(() => callback(this.listenerCount('error') === 0 ? null : error));
  }
}
