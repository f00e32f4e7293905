import { type Accept, checkType } from './accept';
import type { FileLike } from './file-like';
import { formatBytes } from './format-bytes';
import { errorFor, type Messages, thrownMessage } from './messages';
import { type CheckResult, type FileRejection, PASS, type RejectionError } from './rejection';

/** What a custom validator may answer: nothing (valid), a message, or errors. */
export type ValidateResult =
  | RejectionError
  | readonly RejectionError[]
  | string
  | null
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: lets a validator with no return statement type-check.
  | void;

/**
 * The rules a file must meet. The same object is used by the browser before sending and by
 * the server adapter while receiving, so both judge a file alike.
 */
export interface Rules<F extends FileLike = FileLike> {
  /** Accepted types, as `<input accept>` takes them or react-dropzone's map. Defaults to any. */
  accept?: Accept;
  /** Largest size in bytes, inclusive. Defaults to no limit. */
  maxSize?: number;
  /** Smallest size in bytes, inclusive. Defaults to `0`. */
  minSize?: number;
  /** Most files held at once (queued, uploading or done). Defaults to no limit. */
  maxFiles?: number;
  /**
   * Your own check, run after the built-in ones pass; sync or async. Return nothing when the
   * file is fine, a message or `{ code, message }` when it is not. On the server, `context` is
   * the request's (the same `ctx` as `authorize`), and the call runs in the request's async
   * context; in the browser it is `undefined`.
   */
  validate?: (file: F, context?: unknown) => ValidateResult | Promise<ValidateResult>;
  /**
   * Replacements for the English rejection messages, by code (`{ 'file-too-large': 'Too big:
   * {maxSize}' }`) or as a function of the code and details. Shared with the server when it
   * uses the same rules. Defaults to English.
   */
  messages?: Messages;
}

/** Types a rules object; returns the very same object. */
export function defineRules<const R extends Rules>(rules: R): R {
  return rules;
}

/** The size rules as a pure check; `rules.messages` replaces their English messages. */
export function checkSize(
  file: Pick<FileLike, 'size'> & Partial<FileLike>,
  rules: Pick<Rules, 'minSize' | 'maxSize' | 'messages'>,
): CheckResult {
  const { maxSize, minSize, messages } = rules;
  if (maxSize !== undefined && file.size > maxSize) {
    const message = `File is larger than ${formatBytes(maxSize)}`;
    return [false, errorFor(messages, 'file-too-large', message, file, { maxSize })];
  }
  if (minSize !== undefined && file.size < minSize) {
    const message = `File is smaller than ${formatBytes(minSize)}`;
    return [false, errorFor(messages, 'file-too-small', message, file, { minSize })];
  }
  return PASS;
}

/** The synchronous rules (type and size); the errors, empty when the file passes. */
export function checkFile(file: FileLike, rules: Rules<never> | Rules): RejectionError[] {
  const errors: RejectionError[] = [];
  for (const [ok, error] of [
    checkType(file, rules.accept, rules.messages),
    checkSize(file, rules),
  ]) {
    if (!ok) errors.push(error);
  }
  return errors;
}

function normalizeValidateResult(result: ValidateResult): RejectionError[] {
  if (result === null || result === undefined) return [];
  if (typeof result === 'string') return [{ code: 'validation-failed', message: result }];
  if (Array.isArray(result)) return [...result];
  return [result as RejectionError];
}

/** The validator's errors with their messages replaced by `messages`, the validator's own as default. */
function reworded(
  errors: RejectionError[],
  file: FileLike,
  messages: Messages | undefined,
): RejectionError[] {
  if (!messages) return errors;
  return errors.map(({ code, message }) => errorFor(messages, code, message, file));
}

/** Every rule, custom `validate` included; the errors, empty when the file passes. */
export async function validateFile<F extends FileLike>(
  file: F,
  rules: Rules<F>,
  /** Handed to `validate` as its second argument (the server's request context). */
  context?: unknown,
): Promise<RejectionError[]> {
  const errors = checkFile(file, rules as Rules);
  if (errors.length > 0 || !rules.validate) return errors;
  let found: RejectionError[];
  try {
    found = normalizeValidateResult(await rules.validate(file, context));
  } catch (cause) {
    found = [
      { code: 'validation-failed', message: thrownMessage(cause, 'File failed validation') },
    ];
  }
  return reworded(found, file, rules.messages);
}

/** How many files a selection may hold: `maxFiles`, and one at most when `multiple` is off. */
export function selectionLimit(
  maxFiles: number | undefined,
  multiple: boolean,
): number | undefined {
  return multiple ? maxFiles : Math.min(maxFiles ?? 1, 1);
}

/** The `too-many-files` error; `messages` replaces its English message. */
export function tooManyFilesError(
  maxFiles: number,
  messages?: Messages,
  file?: Partial<FileLike>,
): RejectionError {
  const message = `No more than ${maxFiles} file${maxFiles === 1 ? '' : 's'} allowed`;
  return errorFor(messages, 'too-many-files', message, file, { maxFiles });
}

export interface Selection<F> {
  accepted: F[];
  rejected: FileRejection<F>[];
}

/**
 * Judges a batch of files: each against every rule, then the count. Valid files are taken in
 * order until `maxFiles` (counting the `alreadyHeld` ones) is reached; later ones are
 * rejected as `too-many-files`, so one extra file does not throw away the whole drop.
 */
export async function selectFiles<F extends FileLike>(
  files: Iterable<F>,
  rules: Rules<F>,
  alreadyHeld = 0,
): Promise<Selection<F>> {
  const list = Array.from(files);
  // Without `validate` every rule is synchronous: no promise per file of a big drop.
  const verdicts = rules.validate
    ? await Promise.all(list.map((file) => validateFile(file, rules)))
    : list.map((file) => checkFile(file, rules as Rules));
  const accepted: F[] = [];
  const rejected: FileRejection<F>[] = [];
  const room =
    rules.maxFiles === undefined ? Number.POSITIVE_INFINITY : rules.maxFiles - alreadyHeld;
  list.forEach((file, i) => {
    const errors = verdicts[i] ?? [];
    if (errors.length === 0 && accepted.length >= room)
      errors.push(tooManyFilesError(rules.maxFiles as number, rules.messages, file));
    if (errors.length === 0) accepted.push(file);
    else rejected.push({ file, errors });
  });
  return { accepted, rejected };
}
