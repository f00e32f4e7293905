import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import rangeParser from 'range-parser';
import { HandlerError, sendError } from '../handler/errors';
import { isNotFound } from '../storage/not-found';
import type { ByteRange, FileMetadata, Storage } from '../storage/storage';
import { contentHeaders, type Disposition } from './content-headers';

/** The strong validator of a file: its content hash, which never changes for an id. */
export function etagOf(meta: Pick<FileMetadata, 'sha256'>): string {
  return `"${meta.sha256}"`;
}

function parseTags(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** If-None-Match uses weak comparison (RFC 9110 13.1.2). */
function noneMatch(header: string, etag: string): boolean {
  const tags = parseTags(header);
  return tags.includes('*') || tags.includes(etag);
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function notModified(req: IncomingMessage, etag: string, modifiedMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return noneMatch(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && seconds(modifiedMs) <= seconds(since);
  }
  return false;
}

/** If-Range needs a strong match, or the exact Last-Modified date (RFC 9110 13.1.5). */
function ifRangeHolds(req: IncomingMessage, etag: string, modifiedMs: number): boolean {
  const ifRange = req.headers['if-range'];
  if (ifRange === undefined) return true;
  const value = String(ifRange).trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && seconds(date) === seconds(modifiedMs);
}

const BYTE_RANGES = /^bytes=\s*(\d+-\d*|-\d+)(\s*,\s*(\d+-\d*|-\d+))*\s*$/;

type RangeChoice =
  | { kind: 'full' }
  | { kind: 'partial'; range: ByteRange }
  | { kind: 'unsatisfiable' };

function chooseRange(
  req: IncomingMessage,
  size: number,
  etag: string,
  modifiedMs: number,
): RangeChoice {
  const header = req.headers.range;
  if (header === undefined || !ifRangeHolds(req, etag, modifiedMs)) return { kind: 'full' };
  // range-parser calls nonsense unsatisfiable; a header that is not byte ranges at all is
  // ignored instead (RFC 9110 14.2), so 416 only means "outside the file".
  if (!BYTE_RANGES.test(header)) return { kind: 'full' };
  const parsed = rangeParser(size, header, { combine: true });
  if (parsed === -1) return { kind: 'unsatisfiable' };
  // Malformed headers, other units and several ranges are answered with the whole file,
  // which RFC 9110 allows; only single byte ranges are served partially.
  if (parsed === -2 || parsed.type !== 'bytes' || parsed.length !== 1) return { kind: 'full' };
  const [range] = parsed;
  return range
    ? { kind: 'partial', range: { start: range.start, end: range.end } }
    : { kind: 'full' };
}

/**
 * Serves `GET`/`HEAD` for a stored file: conditional requests (304), single byte ranges
 * (206/416), validators, and the stored type and name. The body is piped from storage with
 * backpressure; a client that goes away stops the read.
 */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  storage: Storage,
  id: string,
  disposition: Disposition,
): Promise<void> {
  const meta = await storage.stat(id);
  if (!meta) throw new HandlerError('not-found', 'No such file');
  const etag = etagOf(meta);
  const lastModified = new Date(meta.createdAt).toUTCString();
  const validators = { ETag: etag, 'Last-Modified': lastModified };

  if (notModified(req, etag, meta.createdAt)) {
    res.writeHead(304, validators);
    res.end();
    return;
  }

  const choice = chooseRange(req, meta.size, etag, meta.createdAt);
  if (choice.kind === 'unsatisfiable') {
    sendError(
      res,
      new HandlerError('range-not-satisfiable', 'Range not satisfiable', { status: 416 }),
      {
        'Content-Range': `bytes */${meta.size}`,
        'Accept-Ranges': 'bytes',
      },
    );
    return;
  }

  const range = choice.kind === 'partial' ? choice.range : undefined;
  const length = range ? range.end - range.start + 1 : meta.size;
  const headers: Record<string, string | number> = {
    ...contentHeaders(meta.name, meta.type, disposition),
    ...validators,
    'Accept-Ranges': 'bytes',
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${meta.size}` } : {}),
  };
  const status = range ? 206 : 200;

  if (req.method === 'HEAD' || length === 0) {
    res.writeHead(status, headers);
    res.end();
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
  res.writeHead(status, headers);
  try {
    await pipeline(body, res);
  } catch {
    // The client left, or storage failed mid-body; the headers are gone, so cut the line.
    body.destroy();
    res.destroy();
  }
}
