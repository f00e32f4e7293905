import type { IncomingHttpHeaders } from 'node:http';

/** What the conditional headers of a `GET`/`HEAD` ask for (RFC 9110 13.2.2). */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

interface EntityTag {
  weak: boolean;
  /** The tag with its quotes, without `W/`. */
  opaque: string;
}

const ENTITY_TAG = /(W\/)?("[^"]*")/g;

function tagsOf(header: string): EntityTag[] {
  return [...header.matchAll(ENTITY_TAG)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2]! }));
}

/** If-Match: strong comparison, `*` for any current file (RFC 9110 13.1.1). */
function matchesStrongly(header: string, etag: string): boolean {
  return header.trim() === '*' || tagsOf(header).some((t) => !t.weak && t.opaque === etag);
}

/** If-None-Match: weak comparison (RFC 9110 13.1.2). */
function matchesWeakly(header: string, etag: string): boolean {
  return header.trim() === '*' || tagsOf(header).some((t) => t.opaque === etag);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** IMF-fixdate and the obsolete RFC 850 form, which `Date.parse` reads as GMT. */
const GMT_DATE = new RegExp(
  `^(?:${DAY}, \\d{2} ${MONTH} \\d{4}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \\d{2}-${MONTH}-\\d{2}) ${TIME} GMT$`,
);
/** The obsolete asctime form, which has no zone: GMT by definition. */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`);

/**
 * An HTTP-date (RFC 9110 5.6.7) in whole seconds, or `undefined` when absent or not an
 * HTTP-date, which the conditional headers MUST then ignore (13.1.3, 13.1.4): `Date.parse`
 * alone reads `0` as the year 2000 and `2099-01-01` as a date, so a client's odd value turned
 * into a 412 or a 304.
 */
function secondsOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  let ms = Number.NaN;
  if (GMT_DATE.test(header)) ms = Date.parse(header);
  else if (ASCTIME_DATE.test(header)) ms = Date.parse(`${header} GMT`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * Evaluates the preconditions in the order RFC 9110 13.2.2 gives: `If-Match`, else
 * `If-Unmodified-Since` (412 when they fail); then `If-None-Match`, else `If-Modified-Since`
 * (304 when the client's copy is current). `If-Range` comes after, with the range.
 * For a method that changes the file (`safe: false`, a `DELETE`), a matching `If-None-Match`
 * fails (412, not 304) and `If-Modified-Since` is ignored: both are for `GET` and `HEAD`.
 */
export function evaluatePreconditions(
  headers: IncomingHttpHeaders,
  etag: string,
  modifiedMs: number,
  { safe = true }: { safe?: boolean } = {},
): Precondition {
  const modified = Math.floor(modifiedMs / 1000);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!matchesStrongly(ifMatch, etag)) return 'failed';
  } else {
    const since = secondsOf(headers['if-unmodified-since']);
    if (since !== undefined && modified > since) return 'failed';
  }
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!matchesWeakly(ifNoneMatch, etag)) return 'proceed';
    return safe ? 'not-modified' : 'failed';
  }
  if (!safe) return 'proceed';
  const since = secondsOf(headers['if-modified-since']);
  return since !== undefined && modified <= since ? 'not-modified' : 'proceed';
}

/** If-Range needs a strong match, or the exact Last-Modified date (RFC 9110 13.1.5). */
export function ifRangeHolds(
  headers: IncomingHttpHeaders,
  etag: string,
  modifiedMs: number,
): boolean {
  const ifRange = headers['if-range'];
  if (ifRange === undefined) return true;
  const value = String(ifRange).trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = secondsOf(value);
  return date !== undefined && date === Math.floor(modifiedMs / 1000);
}
