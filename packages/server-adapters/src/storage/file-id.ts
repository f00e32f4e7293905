import { createHash, randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
/**
 * Random bytes drawn 256 ids at a time, as Node's `randomUUID` does: one `randomBytes` per
 * file cost ~13 µs of the main thread in a request of a thousand small files. Each id's bytes
 * are used once and never leave this module.
 */
const ENTROPY_BYTES = ID_BYTES * 256;
let entropy: Buffer | null = null;
let drawn = ENTROPY_BYTES;

/** 128 random bits as 22 base64url characters: never derived from anything the client sent. */
export function createFileId(): string {
  if (drawn === ENTROPY_BYTES || !entropy) {
    entropy = randomFillSync(entropy ?? Buffer.allocUnsafe(ENTROPY_BYTES));
    drawn = 0;
  }
  drawn += ID_BYTES;
  return entropy.toString('base64url', drawn - ID_BYTES, drawn);
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
