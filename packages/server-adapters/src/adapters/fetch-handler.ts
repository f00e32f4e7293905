import type { IncomingMessage } from 'node:http';
import type { WebRequestParts } from '../exchange/exchange';
import { webExchange } from '../exchange/web-exchange';
import { answerError, HandlerError } from '../handler/errors';
import { createExchangeHandler } from '../handler/exchange-handler';
import type { ExchangeHandler, HandlerOptions } from '../handler/handler-types';
import { normalizeBasePath, pathBelow } from '../handler/mount-path';

/** Where a `Request` stands, as a web-standard adapter hands it to `handle`. */
export interface FetchMount<F> {
  /** The mount point, such as `/api/files` (`''` or `/` for the root). */
  basePath: string;
  /** The framework's own request object, passed on to the hooks as `ctx.framework`. */
  framework: F;
}

/**
 * The handler on web-standard `Request`s, for the fetch, Hono and Next.js entries: `handle`
 * resolves with the `Response` of a request under the mount point, or `null` (having read
 * nothing) when it is none of the contract's.
 */
export interface FetchHandler<F> {
  handle(request: Request, mount: FetchMount<F>): Promise<Response | null>;
  /** Removes tus uploads past their `Upload-Expires` now; resolves with how many went. */
  sweepExpiredUploads(): Promise<number>;
}

/**
 * The handler as a Node bridge's adapter uses it: `handle` may be given the `IncomingMessage`
 * the `Request` was made from, whose untouched body is then read from it (`webExchange`).
 */
export interface BridgedFetchHandler<F> extends FetchHandler<F> {
  handle(
    request: Request,
    mount: FetchMount<F>,
    incoming?: IncomingMessage,
  ): Promise<Response | null>;
}

/** An http(s) URL whose path and query `new URL` would leave exactly as they are written. */
const PLAIN_URL = /^https?:\/\/[^/?#\\]*(\/[\w\-~/]*(?:\?[\w\-~.=&%+]+)?)$/;

/** The path and query of a request's URL, as `new URL` gives them, without parsing a plain one. */
export function targetOf(href: string): string {
  const plain = PLAIN_URL.exec(href);
  if (plain) return plain[1] as string;
  const { pathname, search } = new URL(href);
  return pathname + search;
}

/**
 * The shared handler behind the web-standard entries. Without a `storage`, the default
 * `diskStorage({ directory: './uploads' })` is loaded on the first request, so that memory
 * and S3 storage never load `node:fs`.
 */
export function createFetchHandler<F>(
  options: HandlerOptions<F, WebRequestParts>,
): FetchHandler<F> {
  return createBridgedFetchHandler(options);
}

/** `createFetchHandler`, whose `handle` also takes a Node bridge's `IncomingMessage`. */
export function createBridgedFetchHandler<F>(
  options: HandlerOptions<F, WebRequestParts>,
): BridgedFetchHandler<F> {
  const given = options.storage;
  let ready: Promise<ExchangeHandler<F, WebRequestParts>> | undefined;
  const handler = (): Promise<ExchangeHandler<F, WebRequestParts>> => {
    ready ??= given
      ? Promise.resolve(createExchangeHandler(options, given))
      : import('../storage/disk-storage').then(({ diskStorage }) =>
          createExchangeHandler(options, diskStorage({ directory: './uploads' })),
        );
    return ready;
  };

  async function handle(
    request: Request,
    mount: FetchMount<F>,
    incoming?: IncomingMessage,
  ): Promise<Response | null> {
    const url = targetOf(request.url);
    const basePath = normalizeBasePath(mount.basePath);
    const path = pathBelow(url, basePath);
    if (path === null) return null;
    const exchange = webExchange(request, url, incoming);
    const served = handler().then((h) =>
      h.serve(exchange, { path, basePath, framework: mount.framework }),
    );
    let handled: boolean | Response;
    try {
      handled = await Promise.race([exchange.response, served]);
    } catch (error) {
      if (!exchange.answered) answerError(exchange, error);
      handled = true;
    }
    // The answer may stream on after it was given; whatever happens then is the body's.
    served.catch(() => {});
    if (typeof handled !== 'boolean') return handled;
    if (!handled) return null;
    if (!exchange.answered) {
      // Served, yet unanswered: the client left mid-request, and no one reads this.
      answerError(
        exchange,
        new HandlerError(
          'malformed-request',
          'The client closed the request before it was complete',
        ),
      );
    }
    return exchange.response;
  }

  return {
    handle,
    sweepExpiredUploads: () => handler().then((h) => h.sweepExpiredUploads()),
  };
}
