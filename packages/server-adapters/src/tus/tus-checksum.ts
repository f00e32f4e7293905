import { createHash, type Hash } from 'node:crypto';

/** `Tus-Checksum-Algorithm`, in order of preference. */
export const CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'md5'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface ChecksumExpectation {
  algorithm: ChecksumAlgorithm;
  /** The digest the client sent, decoded from base64. */
  digest: Buffer;
}

/**
 * `Upload-Checksum: <algorithm> <base64 digest>`. `null` when absent; throws a 400-worthy
 * message when malformed or the algorithm is not supported.
 */
export function parseChecksumHeader(
  header: string | string[] | undefined,
): ChecksumExpectation | null {
  if (header === undefined) return null;
  if (Array.isArray(header)) throw new Error('Upload-Checksum appears more than once');
  const match = /^\s*([a-z0-9-]+)\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) throw new Error('Upload-Checksum must be "<algorithm> <base64 digest>"');
  const algorithm = match[1]!.toLowerCase();
  if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new Error(`Unsupported checksum algorithm; use one of ${CHECKSUM_ALGORITHMS.join(', ')}`);
  }
  return { algorithm: algorithm as ChecksumAlgorithm, digest: Buffer.from(match[2]!, 'base64') };
}

/** Hashes the bytes of one request and tells whether they match what the client sent. */
export function checksumVerifier(expected: ChecksumExpectation): {
  update(chunk: Uint8Array): void;
  matches(): boolean;
} {
  const hash: Hash = createHash(expected.algorithm);
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    matches: () => hash.digest().equals(expected.digest),
  };
}
