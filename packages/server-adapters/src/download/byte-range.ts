import rangeParser from 'range-parser';
import type { ByteRange } from '../storage/storage';

export type RangeChoice =
  | { kind: 'full' }
  | { kind: 'partial'; range: ByteRange }
  | { kind: 'unsatisfiable' };

const FULL: RangeChoice = { kind: 'full' };
const UNSATISFIABLE: RangeChoice = { kind: 'unsatisfiable' };

/** `first-last`, `first-` or `-suffix` (RFC 9110 14.1.1). */
const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/**
 * Rewrites a `Range` header into what `range-parser` reads right, or `null` when the header
 * is not valid byte ranges and so must be ignored (RFC 9110 14.2): another unit, a spec that
 * is not digits, or a last position before the first. A suffix longer than the file asks for
 * all of it (14.1.3), which range-parser would call unsatisfiable: it is cut to the size
 * (of a file that has bytes: see `chooseAnyRange` for an empty one).
 */
function normalize(header: string, size: number): string | null {
  const eq = header.indexOf('=');
  if (eq === -1 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return null;
  // Empty list elements are allowed and skipped (RFC 9110 5.6.1).
  const specs = header
    .slice(eq + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length === 0) return null;
  const normalized: string[] = [];
  for (const spec of specs) {
    const m = RANGE_SPEC.exec(spec);
    if (!m) return null;
    const [, first, last, suffix] = m;
    if (suffix !== undefined) {
      normalized.push(size > 0 && BigInt(suffix) > BigInt(size) ? `-${size}` : spec);
    } else {
      if (last !== '' && BigInt(last!) < BigInt(first!)) return null;
      normalized.push(spec);
    }
  }
  return `bytes=${normalized.join(',')}`;
}

/** `bytes=first-last` or `bytes=first-` as browsers and media players send them. */
const ONE_RANGE = /^bytes=(\d{1,15})-(\d{0,15})$/;

/**
 * `chooseRange` of the one form nearly every client sends, `bytes=first-last` or
 * `bytes=first-` (numbers of at most 15 digits, exact as doubles), without the general
 * parse; `undefined` for any other header. Answers exactly as the general path does
 * (byte-range.test.ts compares the two).
 */
export function chooseOneRange(header: string, size: number): RangeChoice | undefined {
  const m = ONE_RANGE.exec(header);
  if (!m) return undefined;
  const start = Number(m[1]);
  const last = m[2] === '' ? Number.POSITIVE_INFINITY : Number(m[2]);
  // A last position before the first: not a valid range, so the header is ignored.
  if (last < start) return FULL;
  const end = Math.min(last, size - 1);
  return start > end ? UNSATISFIABLE : { kind: 'partial', range: { start, end } };
}

/**
 * What a `Range` header asks of a file of `size` bytes: one range (206), nothing it holds
 * (416), or the whole file (200) when the header is invalid or asks for several ranges, which
 * RFC 9110 allows a server to answer in full.
 */
export function chooseRange(header: string, size: number): RangeChoice {
  return chooseOneRange(header, size) ?? chooseAnyRange(header, size);
}

/** `chooseRange` of any header, through range-parser. */
export function chooseAnyRange(header: string, size: number): RangeChoice {
  const normalized = normalize(header, size);
  if (normalized === null) return FULL;
  // An empty file: a suffix of non-zero length is satisfiable all the same (RFC 9110 14.1.1),
  // and no 206 can carry no bytes (Content-Range has no empty form): a 200 of the whole file.
  if (size === 0) return /[=,]-0*[1-9]/.test(normalized) ? FULL : UNSATISFIABLE;
  // -1: valid, but no range overlaps the file; -2: malformed (not reached after normalize).
  const parsed = rangeParser(size, normalized, { combine: true });
  if (parsed === -1) return UNSATISFIABLE;
  if (parsed === -2 || parsed.length !== 1) return FULL;
  const [range] = parsed;
  return range ? { kind: 'partial', range: { start: range.start, end: range.end } } : FULL;
}
