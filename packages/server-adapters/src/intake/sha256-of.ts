import { createHash } from 'node:crypto';

/** The hex SHA-256 of a stream's bytes, read to its end (a stored file, read back). */
export async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}
