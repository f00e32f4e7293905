import type { UploadItem } from '@updown/core';

/** What the demo server's `POST /api/files/upload` answers (the adapters' HTTP contract). */
export interface UploadAnswer {
  files: { id: string; name: string; size: number; type: string; sha256: string; url: string }[];
  fields: Record<string, string>;
}

/** The stored file behind a finished row, if it finished. */
export function storedFile(
  item: UploadItem<UploadAnswer>,
): UploadAnswer['files'][number] | undefined {
  return item.status === 'success' ? item.response?.files[0] : undefined;
}
