import { createUploader, resizeImage } from '@updown/core';

export const uploader = createUploader({
  endpoint: '/api/files/upload',
  // Photos leave the phone at most 1600 px wide or tall, as WebP.
  prepare: resizeImage({ maxWidth: 1600, type: 'image/webp', quality: 0.8 }),
  // Judged on the resized file: a 6 MB photo that comes out at 400 KB is accepted.
  rules: { accept: 'image/*', maxSize: 2 * 1024 * 1024 },
});
