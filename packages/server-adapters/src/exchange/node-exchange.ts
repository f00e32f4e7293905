import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { finished, type Readable } from 'node:stream';
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
    // `pipe` and a wait for each end, not `stream.pipeline`: the same outcome without the
    // AbortController (and its DOMException) that pipeline makes and aborts on every call,
    // a tenth of the server's work for a small range.
    await new Promise<void>((resolve) => {
      let settled = false;
      const settle = (error?: Error | null) => {
        if (settled) return;
        settled = true;
        // The client left, or the source failed mid-body; the headers are gone, so cut the line.
        if (error) {
          body.destroy();
          this.res.destroy();
        }
        resolve();
      };
      finished(body, (error) => {
        if (error) settle(error);
      });
      finished(this.res, settle);
      body.pipe(this.res);
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
