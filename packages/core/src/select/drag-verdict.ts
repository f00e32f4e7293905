import { type Accept, matchesAccept, parseAccept } from '../rules/accept';

/** What a drag shows of each item before the drop: its kind and MIME type, never its name. */
export interface DragItemLike {
  readonly kind: string;
  readonly type: string;
}

/** The part of a `DataTransfer` a drag exposes. */
export interface DragDataLike {
  readonly items?: ArrayLike<DragItemLike> | null;
  readonly types?: ArrayLike<string> | null;
}

/**
 * `accept`: every dragged file is known to pass; `reject`: some file is known to fail;
 * `unknown`: only the names (hidden until the drop) can tell.
 */
export type DragVerdict = 'accept' | 'reject' | 'unknown';

export interface DragVerdictOptions {
  accept?: Accept;
  /** Defaults to `true`. */
  multiple?: boolean;
  maxFiles?: number;
  /** Files the uploader already holds, counted against `maxFiles`. Defaults to `0`. */
  alreadyHeld?: number;
  /**
   * The usual extension of a MIME type (without the dot), so that a dragged file's type can
   * stand for its name under an `accept` of extensions: pass `extensionForMime` for
   * `application/vnd.openxmlformats-officedocument.wordprocessingml.document` to count as
   * `.docx`. Defaults to the subtype itself (`application/pdf` counts as `.pdf`), so that the
   * MIME table stays out of bundles that do not ask for it.
   */
  extensionForMime?: (mimeType: string) => string | undefined;
}

/** The items of a drag, a drop or a paste that are files (not text, not links). */
export function fileItems<I extends DragItemLike>(
  data: { readonly items?: ArrayLike<I> | null } | null | undefined,
): I[] {
  return Array.from(data?.items ?? []).filter((item) => item.kind === 'file');
}

/** Whether a drag carries files at all (a dragged text selection or link does not). */
export function dragHasFiles(data: DragDataLike | null | undefined): boolean {
  return Array.from(data?.types ?? []).includes('Files') || fileItems(data).length > 0;
}

/** The subtype, parameters dropped: `text/csv; charset=utf-8` gives `csv`. */
function subtypeOf(type: string): string | undefined {
  return type.split(/[/;]/)[1]?.trim().toLowerCase();
}

function itemVerdict(
  type: string,
  accept: Accept | undefined,
  extensionFor: (mimeType: string) => string | undefined,
): DragVerdict {
  if (accept === undefined) return 'accept';
  // An empty type: a folder, or a file the OS did not type; its name will decide.
  if (!type) return 'unknown';
  if (matchesAccept({ name: '', type }, accept)) return 'accept';
  const { extensions } = parseAccept(accept);
  if (extensions.length === 0) return 'reject';
  // Browsers type a dragged file by its extension, so a known type stands for its usual one;
  // any other pairing could still pass by name, which the drag hides.
  const usual = extensionFor(type);
  return usual && extensions.includes(`.${usual}`) ? 'accept' : 'unknown';
}

/**
 * Judges a drag in progress from what it shows: item kinds and MIME types, and their count
 * against `multiple` and `maxFiles`. Sizes and custom `validate` wait for the drop.
 */
export function dragVerdict(
  data: DragDataLike | null | undefined,
  options: DragVerdictOptions = {},
): DragVerdict {
  const items = fileItems(data);
  // Some browsers list only `types` during a drag; the count and kinds are then unknown.
  if (items.length === 0) return 'unknown';
  const room =
    options.maxFiles === undefined
      ? Number.POSITIVE_INFINITY
      : options.maxFiles - (options.alreadyHeld ?? 0);
  if (items.length > room) return 'reject';
  if (items.length > 1 && options.multiple === false) return 'reject';
  let verdict: DragVerdict = 'accept';
  for (const item of items) {
    const one = itemVerdict(item.type, options.accept, options.extensionForMime ?? subtypeOf);
    if (one === 'reject') return 'reject';
    if (one === 'unknown') verdict = 'unknown';
  }
  return verdict;
}
