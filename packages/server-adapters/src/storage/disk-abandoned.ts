import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unlessMissing, unlinkQuietly } from './disk-files';

/** Beside a tus upload's bytes in the partial folder: its state. */
const TUS_STATE_SUFFIX = '.tus.json';

/**
 * Removes from the partial folder what writes that never finished left there, untouched
 * since `before` (ms since the epoch): a multipart file's bytes or its metadata written
 * aside (a process killed mid-write), a tus state's temporary copy, a tus upload's bytes
 * without their state or its state without its bytes. A tus upload that has both is left to
 * its own expiry; an id `live` says this process is writing is left alone, whatever its age.
 * Another process sharing the folder keeps what it writes: a write in progress touches its
 * file. Resolves with how many ids lost something.
 */
export async function dropAbandonedPartials(
  partialDir: string,
  before: number,
  live: (id: string) => boolean,
): Promise<number> {
  const names = (await unlessMissing(readdir(partialDir))) ?? [];
  const present = new Set(names);
  const dropped = new Set<string>();
  for (const name of names) {
    const id = name.split('.')[0] ?? '';
    if (id === '' || live(id)) continue;
    const tusUpload = present.has(id) && present.has(`${id}${TUS_STATE_SUFFIX}`);
    if (tusUpload && (name === id || name === `${id}${TUS_STATE_SUFFIX}`)) continue;
    const info = await unlessMissing(stat(join(partialDir, name)));
    if (!info?.isFile() || info.mtimeMs >= before) continue;
    if (await unlinkQuietly(join(partialDir, name))) dropped.add(id);
  }
  return dropped.size;
}
