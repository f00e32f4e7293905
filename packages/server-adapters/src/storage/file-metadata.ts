import type { CommitMetadata, FileMetadata } from './storage';

/** What a storage keeps for a file committed now: the same fields however it arrived. */
export function fileMetadata(id: string, size: number, meta: CommitMetadata): FileMetadata {
  return {
    id,
    name: meta.name,
    type: meta.type,
    size,
    sha256: meta.sha256,
    createdAt: Date.now(),
    ...(meta.fields ? { fields: meta.fields } : {}),
    ...(meta.auth ? { auth: meta.auth } : {}),
    ...(meta.tus ? { tus: meta.tus } : {}),
  };
}
