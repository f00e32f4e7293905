import { createUploader, formatBytes } from '@updown/core';

interface Answer {
  files: { id: string; url: string }[];
}

const uploader = createUploader<Answer>({
  endpoint: '/api/files/upload',
  concurrency: 2,
  // Network errors and 5xx answers are tried again, 4xx never.
  retry: { attempts: 4, delay: (attempt) => 500 * 2 ** attempt },
  metadata: (item) => ({ folder: item.relativePath ?? '' }),
  onItemSuccess: (item) => console.log(`${item.name} is at ${item.response?.files[0]?.url}`),
});

const bar = document.querySelector('progress');
const label = document.querySelector('#speed');

// Told at most once per frame, and always at 100%.
uploader.subscribe(({ progress, status }) => {
  if (bar) bar.value = progress.percent;
  if (label && status === 'uploading') {
    const eta = progress.etaSeconds === null ? '…' : `${Math.ceil(progress.etaSeconds)} s`;
    label.textContent = `${formatBytes(progress.bytesPerSecond)}/s, ${eta} left`;
  }
});

export async function sendAll(files: FileList): Promise<void> {
  await uploader.add(files);
  const settled = await uploader.upload(); // never rejects
  for (const item of settled)
    if (item.status === 'error') console.warn(item.name, item.error?.code);
}

// Cancel aborts the request: the server drops every byte of it.
export const cancelOne = (id: string) => uploader.cancel(id);
export const cancelAll = () => uploader.cancel();
// Retry puts a failed or cancelled item back in the queue and sends it.
export const retryFailed = () => uploader.retry();
