import { createUploader, indexedDbUrlStore, s3Transport } from '@updown/core';
import { rules } from '../shared/rules';

interface Answer {
  files: { id: string; name: string; size: number; type: string; url: string }[];
}

// The bytes go straight to the bucket; the app server under /api/files only signs and checks.
const uploader = createUploader({
  transport: s3Transport<Answer>({
    endpoint: '/api/files', // the handler's mount: the transport calls its /direct routes
    partConcurrency: 4, // parts of one large file in flight at once
    retryDelays: [0, 1000, 3000, 5000], // a failed part is sent again alone
    urlStore: indexedDbUrlStore(), // a file chosen again after a reload sends only missing parts
  }),
  rules,
  autoUpload: true,
});

export const pause = (id: string) => uploader.pause(id); // the finished parts stay in the bucket
export const resume = (id: string) => uploader.resume(id); // lists them, sends the rest
export const cancel = (id: string) => uploader.cancel(id); // aborts the multipart upload

uploader.subscribe(({ items }) => {
  for (const item of items)
    if (item.status === 'success') console.log(item.response?.files[0]?.url); // GET /api/files/:id
});
