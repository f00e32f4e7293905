import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { bodyUnread } from './close-connection';
import type { AnswerHeaders, Exchange, RequestBody, WebRequestParts } from './exchange';
import { WebRequestBody } from './web-request-body';
import { webResponseBody } from './web-response-body';

/** Bytes of an unread body thrown away after an early answer before the body is cancelled. */
const MAX_DISCARD_BYTES = 1024 * 1024;
/** Time given to the rest of the body before it is cancelled. */
const DISCARD_TIMEOUT_MS = 5_000;
/** How long an early answer to a small body waits for the rest of it before it goes. */
const EARLY_ANSWER_WAIT_MS = 1_000;
/** An answer's body of at most this many bytes is read first and given whole. */
const WHOLE_BODY_BYTES = 64 * 1024;

/** A web-standard exchange: a `Request` in, and the `Response` it was answered with. */
export interface WebExchange extends Exchange<WebRequestParts> {
  /** Resolves with the answer once the handler gave one (its body may still be streaming). */
  readonly response: Promise<Response>;
}

/**
 * The request's headers as Node spells them: lower-case names, one string each. A body of no
 * stated length is said to be chunked, as Node would have received it: a `Request` made in
 * the app (or by a runtime) need not carry either header.
 */
function nodeHeaders(request: Request): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  request.headers.forEach((value, name) => {
    out[name] = value;
  });
  if (hasBody(request) && out['content-length'] === undefined) {
    out['transfer-encoding'] ??= 'chunked';
  }
  return out;
}

/**
 * Whether a `Request` may carry a body: never for a `GET` or `HEAD` (the fetch standard
 * forbids one), so that `body` is not read for them. A runtime's request object may make the
 * whole web `Request` only when `body` is read (@hono/node-server does).
 */
function hasBody(request: Request): boolean {
  const { method } = request;
  return method !== 'GET' && method !== 'HEAD' && request.body !== null;
}

/**
 * The answer's headers as a record of strings, which a `Response` takes as it takes a
 * `Headers`, and which a Node bridge such as @hono/node-server can
 * write as they are instead of reading a `Headers` back.
 */
function webHeaders(headers: AnswerHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name] = String(headers[name]);
  return out;
}

/** A body whose declared length is small enough to read to its end after an early answer. */
function smallBody(headers: IncomingHttpHeaders): boolean {
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length <= MAX_DISCARD_BYTES;
}

/** A body the fetch spec forbids on these statuses (and on every answer to a `HEAD`). */
function bodiless(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

class FetchExchange implements WebExchange {
  readonly parts: WebRequestParts;
  readonly response: Promise<Response>;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  answered = false;
  #body: RequestBody | undefined;
  #resolve!: (response: Response) => void;
  #abortBody: (() => void) | undefined;
  #discarding: Promise<void> | undefined;

  constructor(
    private readonly request: Request,
    url: string,
    private readonly incoming: IncomingMessage | undefined,
  ) {
    this.parts = { request };
    this.method = request.method;
    this.url = url;
    this.headers = incoming ? incoming.headers : nodeHeaders(request);
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get body(): RequestBody {
    this.#body ??=
      this.incoming ?? new WebRequestBody(this.request.body, this.headers, this.request.signal);
    return this.#body;
  }
  get gone(): boolean {
    return this.request.signal.aborted;
  }
  get bodyUnread(): boolean {
    if (this.incoming) return bodyUnread(this.incoming);
    if (!hasBody(this.request)) return false;
    const body = this.#body;
    return body === undefined ? !this.request.bodyUsed : !body.complete && !body.destroyed;
  }

  #answer(status: number, headers: AnswerHeaders, body: BodyInit | null): void {
    this.answered = true;
    const response = () =>
      new Response(this.method === 'HEAD' || bodiless(status) ? null : body, {
        status,
        headers: webHeaders(headers),
      });
    // Bun closes the connection once an answer to a request with an unread body is written,
    // and a client still sending it then gets EPIPE instead of the answer: an early answer
    // (a refusal) to a small body waits a moment for the rest of that body first. Not a 408:
    // its client is too slow by verdict.
    if (status !== 408 && this.bodyUnread && smallBody(this.headers)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, EARLY_ANSWER_WAIT_MS);
      });
      void Promise.race([this.#discardRest(), waited]).then(() => {
        clearTimeout(timer);
        this.#resolve(response());
      });
    } else {
      this.#resolve(response());
    }
  }

  send(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void {
    this.#answer(
      status,
      headers,
      body === undefined || typeof body === 'string'
        ? (body ?? null)
        : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
    );
  }

  stream(status: number, headers: AnswerHeaders, body: Readable): Promise<void> {
    if (this.method === 'HEAD' || bodiless(status)) {
      body.destroy();
      this.#answer(status, headers, null);
      return Promise.resolve();
    }
    const length = Number(headers['Content-Length']);
    if (length <= WHOLE_BODY_BYTES) return this.#answerWhole(status, headers, body, length);
    const streamed = webResponseBody(body);
    this.#abortBody = streamed.abort;
    this.#answer(status, headers, streamed.body);
    return streamed.done;
  }

  /**
   * A small body read to its end, then answered as bytes: one write for the runtime, no web
   * stream and no pulls. A source that fails (or closes before its end) is answered as a
   * streamed one would be: the headers, what it gave, then a cut line.
   */
  #answerWhole(
    status: number,
    headers: AnswerHeaders,
    body: Readable,
    length: number,
  ): Promise<void> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const { signal } = this.request;
      // The client left before the answer began: no runtime will pull or cancel a body for
      // it, so a source that stalls would be held open for good.
      const leave = () => body.destroy();
      /** True the first time: the answer is this call's to give. */
      const settle = () => {
        if (settled) return false;
        settled = true;
        signal.removeEventListener('abort', leave);
        return true;
      };
      const cut = (error: unknown) => {
        if (!settle()) return;
        // Errored only once what came is read: an error drops whatever is still queued.
        let gave = chunks.length === 0;
        const given = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (gave) return controller.error(error);
              gave = true;
              for (const chunk of chunks) controller.enqueue(chunk);
            },
          },
          { highWaterMark: 0 },
        );
        this.#answer(status, headers, given);
        resolve();
      };
      // A source longer than its declared length (metadata out of step with the bytes, a
      // custom store) is stopped there: the streamed path is bounded by its reader, this not.
      let total = 0;
      body.on('data', (chunk: Buffer | string) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        total += bytes.length;
        if (total > length) {
          body.destroy(new Error('The stored file gave more bytes than its size says'));
          return;
        }
        chunks.push(bytes);
      });
      body.once('end', () => {
        if (!settle()) return;
        this.send(status, headers, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        resolve();
      });
      body.on('error', cut);
      body.once('close', () => cut(new Error('The source closed before its end')));
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });
    });
  }

  abort(): void {
    this.#abortBody?.();
  }

  closeAfterAnswer(): void {
    // The runtime owns the connection: `Connection: close` in the answer is all it can be told.
  }

  finish(): void {
    if (this.bodyUnread) void this.#discardRest();
  }

  /**
   * Reads a small remainder so the runtime can reuse the connection; past the bound (bytes or
   * time), cancels the body rather than read a large one to its end. Resolves once it is gone.
   */
  #discardRest(): Promise<void> {
    this.#discarding ??= new Promise((resolve) => {
      const body = this.body;
      let seen = 0;
      const timer = setTimeout(() => body.destroy(), DISCARD_TIMEOUT_MS);
      timer.unref();
      body.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > MAX_DISCARD_BYTES) body.destroy();
      });
      body.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      body.on('error', () => {});
      body.resume();
    });
    return this.#discarding;
  }
}

/**
 * The exchange of a web-standard `Request`; `url` is its target as path and query (the
 * `Request`'s own URL is absolute). With `incoming`, the Node request a bridge made `request`
 * from and whose body nothing read yet (`untouchedIncoming`), the body and its headers are
 * read from it, as the Node exchange reads them, instead of through `request.body`; the
 * answer is still a `Response`.
 */
export function webExchange(
  request: Request,
  url: string,
  incoming?: IncomingMessage,
): WebExchange {
  return new FetchExchange(request, url, incoming);
}
