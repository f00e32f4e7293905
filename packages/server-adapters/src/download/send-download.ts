import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentHeaders, type Disposition } from './content-headers';

/** What `sendDownload` can send: text, bytes, a stream, or any JSON value. */
export type DownloadBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Readable
  | NodeJS.ReadableStream
  | unknown;

export interface SendDownloadOptions {
  /**
   * Defaults to `text/plain; charset=utf-8` for strings, `application/json; charset=utf-8`
   * for JSON values and `application/octet-stream` for bytes and streams.
   */
  mimeType?: string;
  /**
   * Defaults to `'attachment'`. `'inline'` is granted to raster images, PDF, audio, video and
   * plain text only; any other type is sent as an attachment.
   */
  disposition?: Disposition;
  /** Defaults to `200`. */
  status?: number;
}

function isReadable(value: unknown): value is NodeJS.ReadableStream {
  return (
    value instanceof Readable ||
    (typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function')
  );
}

function toBody(
  data: unknown,
): { body: Buffer; type: string } | { stream: NodeJS.ReadableStream; type: string } {
  if (typeof data === 'string')
    return { body: Buffer.from(data, 'utf8'), type: 'text/plain; charset=utf-8' };
  if (data instanceof Uint8Array) {
    return {
      body: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      type: 'application/octet-stream',
    };
  }
  if (data instanceof ArrayBuffer)
    return { body: Buffer.from(data), type: 'application/octet-stream' };
  if (isReadable(data)) return { stream: data, type: 'application/octet-stream' };
  const json = JSON.stringify(data);
  return { body: Buffer.from(json ?? 'null', 'utf8'), type: 'application/json; charset=utf-8' };
}

/**
 * Sends data made on the spot as a download, with the same headers as a stored file:
 * `Content-Type`, `X-Content-Type-Options: nosniff`, the sandboxing
 * `Content-Security-Policy`, `Content-Disposition` (RFC 6266, `filename*` for non-ASCII;
 * `inline` only for types that render without running anything, such as images, PDF and
 * plain text), and `Content-Length` when known. A `HEAD` request gets the headers only.
 * Resolves when the body is sent.
 *
 * @example
 * app.get('/report.csv', (req, res) => sendDownload(res, csvText, 'report.csv', { mimeType: 'text/csv' }));
 */
export async function sendDownload(
  res: ServerResponse,
  data: DownloadBody,
  filename: string,
  options: SendDownloadOptions = {},
): Promise<void> {
  const made = toBody(data);
  const headers: Record<string, string | number> = contentHeaders(
    filename,
    options.mimeType ?? made.type,
    options.disposition ?? 'attachment',
  );
  const head = res.req?.method === 'HEAD';
  if ('body' in made) {
    headers['Content-Length'] = made.body.length;
    res.writeHead(options.status ?? 200, headers);
    res.end(head ? undefined : made.body);
    return;
  }
  res.writeHead(options.status ?? 200, headers);
  if (head) {
    res.end();
    return;
  }
  await pipeline(made.stream, res);
}
