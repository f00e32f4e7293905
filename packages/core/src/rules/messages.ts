import type { FileLike } from './file-like';
import { formatBytes } from './format-bytes';
import type { RejectionCode, RejectionError } from './rejection';

/**
 * Every code a message can be given for: the rejection codes, the upload errors the client
 * makes itself, and the server's error codes. Custom codes (from `validate`) are allowed too.
 */
export type MessageCode =
  | RejectionCode
  | 'network-error'
  | 'upload-failed'
  | 'missing-endpoint'
  | 'missing-transport'
  | 'prepare-failed'
  | 'malformed-request'
  | 'unauthorized'
  | 'forbidden'
  | 'request-too-large'
  | 'storage-error'
  | (string & {});

/**
 * What a message may say. Which fields are set depends on the code: the size rules set
 * `maxSize` or `minSize`, `too-many-files` sets `maxFiles`, `file-invalid-type` sets
 * `accept`, upload errors set `status` when there was an answer.
 */
export interface MessageDetails {
  /** The English message (or the server's, or your validator's): what is shown by default. */
  readonly message: string;
  /** The file's name, size in bytes and MIME type, when a file is concerned. */
  readonly name?: string;
  readonly size?: number;
  readonly type?: string;
  /** The limits of the rule that failed, in bytes. */
  readonly maxSize?: number;
  readonly minSize?: number;
  readonly maxFiles?: number;
  /** The accepted types, as written in the rules, comma-separated. */
  readonly accept?: string;
  /** HTTP status of the answer, for upload errors. */
  readonly status?: number;
  readonly [key: string]: unknown;
}

/**
 * One code's message: a template whose `{name}` placeholders are filled from the details
 * (`{maxSize}`, `{minSize}` and `{size}` in human units, `5 MiB`), or a function of them.
 */
export type MessageTemplate = string | ((details: MessageDetails) => string);

/** Messages by code; a code left out keeps its English message. */
export type MessageMap = { readonly [C in MessageCode]?: MessageTemplate };

/**
 * Replacements for the messages of rejections and errors: a map by code, or a function that
 * answers a message (or `undefined` to keep the English one).
 *
 * @example
 * const messages: Messages = { 'file-too-large': 'Too big: at most {maxSize}' };
 * const byFunction: Messages = (code, details) => (code === 'too-many-files' ? `Max ${details.maxFiles}` : undefined);
 */
export type Messages =
  | MessageMap
  | ((code: MessageCode, details: MessageDetails) => string | null | undefined);

const SIZES = new Set(['maxSize', 'minSize', 'size']);

/** What a thrown value says: its message when it is an `Error` with one, else `fallback`. */
export function thrownMessage(cause: unknown, fallback: string): string {
  return (cause instanceof Error && cause.message) || fallback;
}

/** Fills `{key}` placeholders; sizes in human units, unknown keys left as written. */
export function fillTemplate(template: string, details: MessageDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined || value === null) return whole;
    return SIZES.has(key) && typeof value === 'number' ? formatBytes(value) : String(value);
  });
}

/** The message for a code: the replacement from `messages` when there is one, else `details.message`. */
export function messageFor(
  messages: Messages | undefined,
  code: MessageCode,
  details: MessageDetails,
): string {
  if (!messages) return details.message;
  const found =
    typeof messages === 'function' ? messages(code, details) : (messages as MessageMap)[code];
  if (found === undefined || found === null) return details.message;
  return typeof found === 'function' ? found(details) : fillTemplate(found, details);
}

/**
 * Two sets of messages as one: `first`'s replacement wins, `second`'s is asked for the codes
 * `first` leaves alone. Either may be missing.
 */
export function combineMessages(
  first: Messages | undefined,
  second: Messages | undefined,
): Messages | undefined {
  if (!first || !second) return first ?? second;
  return (code, details) =>
    messageFor(first, code, { ...details, message: messageFor(second, code, details) });
}

/**
 * The error `code` with its English `message`, or the replacement `messages` have for it.
 * Their details: the file's name, size and type (when a file is concerned), the English
 * message, and `extra` (the limit of the rule that failed, the HTTP status).
 */
export function errorFor(
  messages: Messages | undefined,
  code: MessageCode,
  message: string,
  file?: Partial<FileLike>,
  extra?: Omit<MessageDetails, 'message'>,
): RejectionError {
  const details = file ? { name: file.name, size: file.size, type: file.type } : {};
  return { code, message: messageFor(messages, code, { ...details, message, ...extra }) };
}
