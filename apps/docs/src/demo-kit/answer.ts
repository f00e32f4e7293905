import type { TusUploadResult, UploadItem } from '@updown/core';

/** What the demo server's `POST /api/files/upload` answers (the adapters' HTTP contract). */
export interface UploadAnswer {
  files: { id: string; name: string; size: number; type: string; sha256: string; url: string }[];
  fields: Record<string, string>;
}

/** A row's answer: a multipart POST's, or a finished tus upload's. */
export type DemoAnswer = UploadAnswer | TusUploadResult;

/** Where a finished row's file can be downloaded, and its name; nothing before success. */
export function storedFile(
  item: UploadItem<DemoAnswer>,
): { url: string; name: string } | undefined {
  const answer = item.status === 'success' ? item.response : undefined;
  if (!answer) return undefined;
  if ('files' in answer) {
    const file = answer.files[0];
    return file && { url: file.url, name: file.name };
  }
  // A finished tus upload is served at GET /api/files/:id with the same id.
  return { url: `/api/files/${encodeURIComponent(answer.id)}`, name: item.name };
}
