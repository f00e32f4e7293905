import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { bodyUnread, closeAfterAnswer } from './close-connection';
import { discardRequestBody } from './discard-body';
import type { AnswerHeaders, Exchange, NodeRequestParts, RequestBody } from './exchange';

/** Node's `req`/`res` as an exchange: each member is the one Node call it always was. */
class NodeExchange implements Exchange<NodeRequestParts> {
  readonly parts: NodeRequestParts;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.parts = { req, res };
  }

  get method(): string {
    return this.req.method ?? '';
  }
  get url(): string {
    return this.req.url ?? '';
  }
  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }
  get body(): RequestBody {
    return this.req;
  }
  get gone(): boolean {
    return this.res.destroyed || this.req.socket?.destroyed === true;
  }
  get answered(): boolean {
    return this.res.headersSent;
  }
  get bodyUnread(): boolean {
    return bodyUnread(this.req);
  }

  send(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void {
    this.res.writeHead(status, headers);
    this.res.end(body);
  }

  async stream(status: number, headers: AnswerHeaders, body: Readable): Promise<void> {
    try {
      this.res.writeHead(status, headers);
    } catch (error) {
      // Whatever stops the answer here, the open source must not outlive it.
      body.destroy();
      throw error;
    }
    const { res } = this;
    // The client left before the answer began.
    if (res.destroyed) {
      body.destroy();
      return;
    }
    // `pipe` and two listeners, not `stream.pipeline` nor `finished`: the same outcome without
    // the AbortController (and its DOMException) that pipeline makes and aborts on every call,
    // nor the end-of-stream bookkeeping of each side, most of the JS of a small range.
    await new Promise<void>((resolve) => {
      // The source failed mid-body: the headers are gone, so cut the line.
      body.on('error', () => res.destroy());
      // The answer's end, sent or cut short (the client left): a source not read to its end
      // is let go, so that its descriptor closes.
      res.once('close', () => {
        if (!body.readableEnded) body.destroy();
        resolve();
      });
      body.pipe(res);
    });
  }

  abort(): void {
    this.res.destroy();
  }

  closeAfterAnswer(): void {
    closeAfterAnswer(this.res);
  }

  finish(): void {
    discardRequestBody(this.req, this.res);
  }
}

/** The exchange of a Node request: a pass-through over `req` and `res`. */
export function nodeExchange(
  req: IncomingMessage,
  res: ServerResponse,
): Exchange<NodeRequestParts> {
  return new NodeExchange(req, res);
}
