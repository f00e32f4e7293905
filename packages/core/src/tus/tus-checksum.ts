/** Algorithms `tusTransport` can send in `Upload-Checksum`. */
export type TusChecksumAlgorithm = 'sha1' | 'sha256';

const DIGEST_NAMES: Record<TusChecksumAlgorithm, string> = { sha1: 'SHA-1', sha256: 'SHA-256' };

/** The `Upload-Checksum` value of a chunk, `<algorithm> <base64 digest>`. */
export type TusChecksum = (chunk: Blob) => Promise<string>;

/**
 * `tusTransport`'s `checksum` option: an `Upload-Checksum` on each chunk, through WebCrypto
 * (`crypto.subtle`, in browsers on secure origins and in Node 20+), so the server answers 460
 * on a mismatch. Each chunk is read into memory once for it. An import, so that bundles that
 * send no checksum leave it out.
 *
 * @example
 * tusTransport({ endpoint: '/api/files/tus', checksum: tusChecksum('sha256') })
 */
export function tusChecksum(algorithm: TusChecksumAlgorithm): TusChecksum {
  return async (chunk) => {
    const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
    if (!subtle) throw new Error('Upload-Checksum needs crypto.subtle (a secure origin)');
    const digest = new Uint8Array(
      await subtle.digest(DIGEST_NAMES[algorithm], await chunk.arrayBuffer()),
    );
    let binary = '';
    for (const byte of digest) binary += String.fromCharCode(byte);
    return `${algorithm} ${btoa(binary)}`;
  };
}
