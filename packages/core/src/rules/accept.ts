import type { FileLike } from './file-like';
import { errorFor, type Messages } from './messages';
import { type CheckResult, PASS } from './rejection';

/** react-dropzone's form: MIME type (or wildcard) to the extensions that also count. */
export type AcceptMap = Readonly<Record<string, readonly string[]>>;

/**
 * Which files are wanted: what an `<input accept>` takes (`'image/*,.pdf'`), an array of
 * such tokens, or react-dropzone's `{ 'image/png': ['.png'] }` map.
 */
export type Accept = string | readonly string[] | AcceptMap;

/** Accept tokens split by kind, lower-cased, ready to match. */
export interface ParsedAccept {
  readonly any: boolean;
  readonly mimeTypes: ReadonlySet<string>;
  readonly mimePrefixes: readonly string[];
  readonly extensions: readonly string[];
  /** The tokens as given, for messages and for `<input accept>`. */
  readonly tokens: readonly string[];
}

function tokensOf(accept: Accept): string[] {
  if (typeof accept === 'string') return accept.split(',');
  if (Array.isArray(accept)) return (accept as readonly string[]).flatMap((a) => a.split(','));
  return Object.entries(accept as AcceptMap).flatMap(([mime, exts]) => [mime, ...exts]);
}

const parsedCache = new WeakMap<object, ParsedAccept>();
// Strings come from configuration, so there are few; the cap only guards against a caller
// that builds a new one per file.
const parsedStrings = new Map<string, ParsedAccept>();
const MAX_CACHED_STRINGS = 64;

/**
 * Parses accept tokens once: a folder of thousands of files is judged against the same
 * rules. Objects and arrays are cached by identity, strings by value.
 */
export function parseAccept(accept: Accept): ParsedAccept {
  const cached = typeof accept === 'string' ? parsedStrings.get(accept) : parsedCache.get(accept);
  if (cached) return cached;
  const tokens = tokensOf(accept)
    .map((t) => t.trim())
    .filter(Boolean);
  const mimeTypes = new Set<string>();
  const mimePrefixes: string[] = [];
  const extensions: string[] = [];
  let any = false;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (lower === '*' || lower === '*/*') any = true;
    else if (lower.startsWith('.')) extensions.push(lower);
    else if (lower.endsWith('/*')) mimePrefixes.push(lower.slice(0, -1));
    else if (lower.includes('/')) mimeTypes.add(baseMime(lower));
    // Anything else (a bare word like "pdf") is not a valid accept token; browsers ignore it too.
  }
  const parsed: ParsedAccept = { any, mimeTypes, mimePrefixes, extensions, tokens };
  if (typeof accept !== 'string') parsedCache.set(accept, parsed);
  else {
    if (parsedStrings.size >= MAX_CACHED_STRINGS) parsedStrings.clear();
    parsedStrings.set(accept, parsed);
  }
  return parsed;
}

function baseMime(mime: string): string {
  const semi = mime.indexOf(';');
  return (semi === -1 ? mime : mime.slice(0, semi)).trim().toLowerCase();
}

/** Whether a file of this name and MIME type is among the accepted ones. */
export function matchesAccept(
  file: Pick<FileLike, 'name' | 'type'>,
  accept: Accept | undefined,
): boolean {
  if (accept === undefined) return true;
  const parsed = parseAccept(accept);
  if (parsed.any || parsed.tokens.length === 0) return true;
  const type = baseMime(file.type ?? '');
  const name = (file.name ?? '').toLowerCase();
  if (type) {
    if (parsed.mimeTypes.has(type)) return true;
    for (const prefix of parsed.mimePrefixes) if (type.startsWith(prefix)) return true;
  }
  for (const ext of parsed.extensions) if (name.endsWith(ext)) return true;
  return false;
}

/** The accept rule as a pure check; `messages` replaces its English message. */
export function checkType(
  file: Pick<FileLike, 'name' | 'type'> & Partial<Pick<FileLike, 'size'>>,
  accept: Accept | undefined,
  messages?: Messages,
): CheckResult {
  if (matchesAccept(file, accept)) return PASS;
  const wanted = parseAccept(accept as Accept).tokens.join(', ');
  const message = `File type must be one of ${wanted}`;
  return [false, errorFor(messages, 'file-invalid-type', message, file, { accept: wanted })];
}

/** The accept rule as an `<input accept>` attribute value. */
export function acceptAttribute(accept: Accept | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const tokens = parseAccept(accept).tokens;
  return tokens.length ? tokens.join(',') : undefined;
}
