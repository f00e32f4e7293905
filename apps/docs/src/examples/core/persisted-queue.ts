import {
  createPersistedQueue,
  createUploader,
  indexedDbUrlStore,
  tusTransport,
} from '@updown/core';

const uploader = createUploader({
  transport: tusTransport({ endpoint: '/api/files/tus', urlStore: indexedDbUrlStore() }),
  autoUpload: true,
});

// Unfinished items are kept in IndexedDB; after a reload they are listed as resumable.
const queue = createPersistedQueue(uploader, { keepFiles: true });

queue.subscribe(({ ready, resumable }) => {
  if (!ready || resumable.length === 0) return;
  const names = resumable.map((file) => file.name).join(', ');
  // With keepFiles, restore() puts them back; without it, the user selects them again and
  // tus goes on from the server's offset either way.
  if (confirm(`Resume ${names}?`)) void queue.restore();
  else void queue.forget();
});
