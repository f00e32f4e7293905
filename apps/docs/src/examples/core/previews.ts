import { createPreview, createPreviews, createUploader } from '@updown/core';

const uploader = createUploader({ endpoint: '/api/files/upload' });

// Vanilla: a thumbnail for each image or video item, released when the item is removed.
const previews = createPreviews(uploader, { maxSize: 120 });
previews.subscribe((thumbnails) => {
  for (const item of uploader.getState().items) {
    const img = document.querySelector<HTMLImageElement>(`img[data-id="${item.id}"]`);
    const thumbnail = thumbnails.get(item.id);
    if (img && thumbnail) img.src = thumbnail.url;
  }
});

// One file, without an uploader: release it when it is no longer shown.
export async function showOne(file: File, img: HTMLImageElement): Promise<() => void> {
  const preview = await createPreview(file, { maxSize: 240, type: 'image/jpeg', quality: 0.7 });
  if (!preview) return () => {};
  img.src = preview.url;
  return () => preview.release();
}

// On teardown, both: the previews first, so every object URL is revoked.
export function teardown(): void {
  previews.destroy();
  uploader.destroy();
}
