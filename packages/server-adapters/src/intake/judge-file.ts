import {
  checkSize,
  checkType,
  type FileLike,
  type MessageDetails,
  parseAccept,
  type RejectionError,
  type Rules,
  validateFile,
} from '@updown/core/rules';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, HandlerOptions, StoredFile } from '../handler/handler-types';
import type { Storage } from '../storage/storage';
import { sniffType } from './sniff-type';

// One judge for multipart files and tus uploads, so both paths refuse the same files with the
// same answers, and as early as the bytes allow.

/**
 * A rule's refusal, as the answer to the client, with what a message replaced by the
 * handler's `messages` may say (the rules' own `messages` already worded it).
 */
function refusal(error: RejectionError, details: Omit<MessageDetails, 'message'>): HandlerError {
  return new HandlerError(error.code, error.message, { details });
}

/** The declared type against `accept`, as soon as a name and type are known. */
export function judgeType(file: { name: string; type: string }, rules: Rules): void {
  const [ok, error] = checkType(file, rules.accept, rules.messages);
  if (!ok) throw refusal(error, { name: file.name, type: file.type, accept: acceptText(rules) });
}

/** The accepted types as the rules wrote them, comma-separated, as the browser says them. */
function acceptText(rules: Rules): string | undefined {
  return rules.accept === undefined ? undefined : parseAccept(rules.accept).tokens.join(', ');
}

/** A size (declared, or counted) against `maxSize` and `minSize`. */
export function judgeSize(size: number, rules: Rules): void {
  const [ok, error] = checkSize({ size }, rules);
  if (!ok) throw refusal(error, { size, maxSize: rules.maxSize, minSize: rules.minSize });
}

/** The refusal of a file cut off at `maxBytes`, in the words of the shared rule. */
export function tooLarge(maxBytes: number): HandlerError {
  const [, error] = checkSize({ size: maxBytes + 1 }, { maxSize: maxBytes });
  return refusal(error ?? { code: 'file-too-large', message: 'File is too large' }, {
    maxSize: maxBytes,
  });
}

/**
 * The first bytes against `accept` (and against the declared type): resolves with the type
 * the bytes show, or `null` when they have no signature.
 */
export async function judgeContent(
  head: Uint8Array,
  declared: { name: string; type: string },
  rules: Rules,
): Promise<string | null> {
  return sniffType(head, declared, rules.accept);
}

/**
 * Every rule on the whole file, custom `validate` included (given the request's `ctx`);
 * throws the first one broken.
 */
export async function judgeFile<F, R extends object>(
  file: FileLike,
  rules: Rules,
  ctx?: HandlerContext<F, R>,
): Promise<void> {
  const [first] = await validateFile(file, rules as Rules<FileLike>, ctx);
  if (first) {
    const { name, size, type } = file;
    throw refusal(first, { name, size, type, maxSize: rules.maxSize, minSize: rules.minSize });
  }
}

/**
 * Tells `onUploaded` of stored files, in order. When it throws, none of them is kept: the
 * files are removed and the error is the answer.
 */
export async function announceUploaded<F, R extends object>(
  files: readonly StoredFile[],
  ctx: HandlerContext<F, R>,
  options: HandlerOptions<F, R>,
  storage: Storage,
): Promise<void> {
  if (!options.onUploaded) return;
  try {
    for (const file of files) await options.onUploaded(file, ctx);
  } catch (error) {
    await Promise.allSettled(files.map((file) => storage.delete(file.id)));
    throw error;
  }
}
