/** Algorithms `tusTransport` can send in `Upload-Checksum`. */
export type TusChecksumAlgorithm = 'sha1' | 'sha256';

const DIGEST_NAMES: Record<TusChecksumAlgorithm, string> = { sha1: 'SHA-1', sha256: 'SHA-256' };

/**
 * `Upload-Checksum` for a chunk, `<algorithm> <base64 digest>`, through WebCrypto
 * (`crypto.subtle`, in browsers on secure origins and in Node 20+). The chunk is read into
 * memory once for it.
 */
export async function tusChecksum(chunk: Blob, algorithm: TusChecksumAlgorithm): Promise<string> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) throw new Error('Upload-Checksum needs crypto.subtle (a secure origin)');
  const digest = new Uint8Array(
    await subtle.digest(DIGEST_NAMES[algorithm], await chunk.arrayBuffer()),
  );
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `${algorithm} ${btoa(binary)}`;
}
