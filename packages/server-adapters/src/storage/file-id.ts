import { createHash, randomBytes } from 'node:crypto';

/** 128 random bits as 22 base64url characters: never derived from anything the client sent. */
export function createFileId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The id of a tus final upload joining these pieces, in this order: the same on every try, so
 * a retry whose first answer was lost finds the file the first try made. It is as hard to
 * guess as the pieces' ids, which this server minted, and has the same form as `createFileId`.
 */
export function concatenationId(partIds: readonly string[]): string {
  return createHash('sha256')
    .update(`tus-final\0${partIds.join('\0')}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Whether a string may be used as a file id. Only base64url characters pass, so no `.`, `/`,
 * `\` or NUL can ever reach a storage path. Longer ids than ours (up to 128) pass so a custom
 * storage or a tus store may mint its own.
 */
export function isValidFileId(id: string): boolean {
  return ID_PATTERN.test(id);
}
