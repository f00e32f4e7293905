import type { Readable } from 'node:stream';
import type { AnswerHeaders, Exchange } from '../exchange/exchange';
import { answerError, HandlerError } from '../handler/errors';
import { isNotFound } from '../storage/not-found';
import type { FileMetadata, Storage } from '../storage/storage';
import { chooseRange } from './byte-range';
import { contentHeaders, type Disposition, DOWNLOAD_CSP } from './content-headers';
import { fileHeaders } from './file-headers';
import { answerPreconditionFailed } from './precondition-failed';
import { evaluatePreconditions, ifRangeHolds } from './preconditions';

/**
 * Downloads may be kept by the browser, never by a shared cache, and are checked with the
 * server before each use (a 304 costs nothing), so a deleted or newly guarded file is not
 * served from a cache.
 */
export const DEFAULT_CACHE_CONTROL = 'private, no-cache';

export interface ServeDownloadOptions {
  disposition: Disposition;
  /** The name to save under instead of the stored one (`?filename=`), already sanitized. */
  filename?: string | undefined;
  /** The `Cache-Control` of the file's answers. Defaults to `DEFAULT_CACHE_CONTROL`. */
  cacheControl?: string | undefined;
  /** The file's metadata when the caller already read it (for `authorize`), so it is read once. */
  file?: FileMetadata | undefined;
}

/**
 * Serves `GET`/`HEAD` for a stored file: preconditions (412, 304), single byte ranges of a
 * `GET` (206/416), validators, caching, and the served type and name under the download policy. The
 * body is piped from storage with backpressure; a client that goes away stops the read.
 */
export async function serveDownload(
  exchange: Exchange,
  storage: Storage,
  id: string,
  options: ServeDownloadOptions,
): Promise<void> {
  const meta = options.file ?? (await storage.stat(id));
  if (!meta) throw new HandlerError('not-found', 'No such file');
  // The name is a header of the answer, not part of the bytes: the validators stay the file's.
  const name = options.filename ?? meta.name;
  const headersOf = fileHeaders(meta, {
    name,
    disposition: options.disposition,
    cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL,
  });
  const { etag, common } = headersOf;

  const precondition = evaluatePreconditions(exchange.headers, etag, meta.createdAt);
  if (precondition === 'failed') {
    answerPreconditionFailed(exchange, etag);
    return;
  }
  if (precondition === 'not-modified') {
    exchange.send(304, { ...common });
    return;
  }

  if (exchange.method === 'GET' && storage.downloadUrl) {
    const served = contentHeaders(name, meta.type, options.disposition);
    const url = await storage.downloadUrl(meta, {
      contentType: served['Content-Type'] as string,
      contentDisposition: served['Content-Disposition'] as string,
    });
    if (url) {
      // The bucket sends the bytes (ranges too); the URL is short-lived, so never cache this.
      exchange.send(302, {
        Location: url,
        'Cache-Control': 'no-store',
        'Content-Security-Policy': DOWNLOAD_CSP,
      });
      return;
    }
  }

  // Range handling is defined for GET alone (RFC 9110 14.2): a HEAD gets the 200's headers.
  const header = exchange.method === 'GET' ? exchange.headers.range : undefined;
  const choice =
    header === undefined || !ifRangeHolds(exchange.headers, etag, meta.createdAt)
      ? ({ kind: 'full' } as const)
      : chooseRange(header, meta.size);
  if (choice.kind === 'unsatisfiable') {
    answerError(
      exchange,
      new HandlerError('range-not-satisfiable', 'Range not satisfiable', { status: 416 }),
      {
        'Content-Range': `bytes */${meta.size}`,
        'Accept-Ranges': 'bytes',
        'Content-Security-Policy': DOWNLOAD_CSP,
      },
    );
    return;
  }

  const range = choice.kind === 'partial' ? choice.range : undefined;
  const length = range ? range.end - range.start + 1 : meta.size;
  const headers: AnswerHeaders = { ...headersOf.content(), 'Content-Length': length };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
  const status = range ? 206 : 200;

  if (exchange.method === 'HEAD' || length === 0) {
    exchange.send(status, headers);
    return;
  }

  let body: Readable;
  try {
    body = await storage.createReadStream(id, range);
  } catch (error) {
    // Deleted between stat and open.
    if (isNotFound(error)) throw new HandlerError('not-found', 'No such file');
    throw error;
  }
  // The client leaving, or storage failing mid-body, cuts the line: the headers are gone.
  await exchange.stream(status, headers, body);
}
