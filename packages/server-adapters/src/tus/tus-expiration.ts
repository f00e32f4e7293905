import type { PartialInfo, ResumableStorage } from '../storage/resumable-storage';

/** `Upload-Expires` is an RFC 9110 date. */
export function expiresHeader(expiresAt: number | null): Record<string, string> {
  return expiresAt === null ? {} : { 'Upload-Expires': new Date(expiresAt).toUTCString() };
}

export function isExpired(info: Pick<PartialInfo, 'expiresAt'>, now: number): boolean {
  return info.expiresAt !== null && info.expiresAt <= now;
}

/**
 * Removes every partial upload past its expiry through `remove`, which answers `false` for
 * one in use right now (a PATCH is writing it), left for the next sweep; resolves with how
 * many went.
 */
export async function sweepExpired(
  store: ResumableStorage,
  now: number,
  remove: (id: string) => Promise<boolean> = (id) => store.deletePartial(id),
): Promise<number> {
  let removed = 0;
  for (const info of await store.listPartials()) {
    if (isExpired(info, now) && (await remove(info.id))) removed++;
  }
  return removed;
}
