// Files an attacker would upload, a real picture, and a tus creation by hand, for the
// download tests of every adapter.
import { readdirSync } from 'node:fs';
import type { FileMetadata, Storage } from '../../storage/storage';

/** A 1x1 PNG: enough for `file-type` to call it `image/png`, and for a browser to draw it. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082',
  'hex',
);

/** A page whose script, if it ever runs, says so in the title and calls `beacon`. */
export function activePage(beacon: string): string {
  return `<html><body><script>document.title='ran';fetch('${beacon}');</script></body></html>`;
}

/** An SVG picture with a script of its own. */
export function activeSvg(beacon: string): string {
  return `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>document.title='ran';fetch('${beacon}')</script><rect width="10" height="10"/></svg>`;
}

/** Creates a tus upload with its whole body (creation-with-upload); resolves with its id. */
export async function tusUpload(
  base: string,
  data: Uint8Array | string,
  metadata: Record<string, string>,
): Promise<string> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  const res = await fetch(`${base}/tus`, {
    method: 'POST',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(bytes.length),
      'Upload-Metadata': Object.entries(metadata)
        .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
        .join(','),
      'Content-Type': 'application/offset+octet-stream',
    },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`tus creation answered ${res.status}`);
  return (res.headers.get('location') ?? '').split('/').pop() ?? '';
}

/** A storage whose metadata says what `alter` makes of it: a custom or corrupted store. */
export function alteredStorage(
  inner: Storage,
  alter: (meta: FileMetadata) => FileMetadata,
): Storage {
  return {
    begin: (id) => inner.begin(id),
    stat: async (id) => {
      const meta = await inner.stat(id);
      return meta ? alter(meta) : null;
    },
    createReadStream: (id, range) => inner.createReadStream(id, range),
    delete: (id) => inner.delete(id),
  };
}

/** How many descriptors this process holds open. */
export function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}
