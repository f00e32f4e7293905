import { createUploader, localStorageUrlStore, tusChecksum, tusTransport } from '@updown/core';
import { rules } from '../shared/rules';

const uploader = createUploader({
  transport: tusTransport({
    endpoint: '/api/files/tus',
    chunkSize: 8 * 1024 * 1024, // bytes per PATCH; a pause loses at most the one in flight
    checksum: tusChecksum('sha256'), // Upload-Checksum on each chunk; 460 on a mismatch
    retryDelays: [0, 1000, 3000, 5000],
    urlStore: localStorageUrlStore(), // a file chosen again after a reload resumes
  }),
  rules,
});

export function pause(id: string): void {
  uploader.pause(id); // aborts the request in flight; the server keeps the bytes it has
}

export function resume(id: string): void {
  uploader.resume(id); // asks the server for its offset (HEAD), then sends the rest (PATCH)
}

// Cancel terminates the upload on the server (DELETE): nothing of it stays.
export const cancel = (id: string) => uploader.cancel(id);

// A finished upload answers { uploadUrl, id, size }; with updown's server the file is then
// at GET /api/files/:id, like any other.
uploader.subscribe(({ items }) => {
  for (const item of items)
    if (item.status === 'success') console.log(`/api/files/${item.response?.id}`);
});
