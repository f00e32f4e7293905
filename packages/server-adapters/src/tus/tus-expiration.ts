import type { PartialInfo, ResumableStorage } from '../storage/resumable-storage';

/** `Upload-Expires` is an RFC 9110 date. */
export function expiresHeader(expiresAt: number | null): Record<string, string> {
  return expiresAt === null ? {} : { 'Upload-Expires': new Date(expiresAt).toUTCString() };
}

export function isExpired(info: Pick<PartialInfo, 'expiresAt'>, now: number): boolean {
  return info.expiresAt !== null && info.expiresAt <= now;
}

/**
 * Removes every partial upload past its expiry; resolves with how many went. `skip` names
 * ids in use right now (a PATCH is writing), which are left for the next sweep.
 */
export async function sweepExpired(
  store: ResumableStorage,
  now: number,
  skip: (id: string) => boolean = () => false,
): Promise<number> {
  let removed = 0;
  for (const info of await store.listPartials()) {
    if (!isExpired(info, now) || skip(info.id)) continue;
    if (await store.deletePartial(info.id)) removed++;
  }
  return removed;
}
