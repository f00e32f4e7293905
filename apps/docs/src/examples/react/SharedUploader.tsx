import { createUploader, type Uploader } from '@updown/core';
import { useSelector } from '@updown/react';

// One uploader for the whole app, made outside React.
export const uploader = createUploader({ endpoint: '/api/files/upload', autoUpload: true });

export function UploadBadge() {
  const { progress, status } = useSelector(uploader);
  return status === 'uploading' ? <span>{Math.round(progress.percent)}%</span> : null;
}

// Re-renders only when its own item changes, however many others are uploading.
export function Row({ source, id }: { source: Uploader; id: string }) {
  const item = useSelector(source, (state) => state.items.find((it) => it.id === id));
  if (!item) return null;
  return (
    <li data-status={item.status}>
      {item.name} <progress max={100} value={item.progress.percent} />
    </li>
  );
}
