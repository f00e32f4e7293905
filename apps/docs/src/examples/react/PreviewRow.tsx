import type { UploadItem } from '@updown/core';
import { usePreview } from '@updown/react';

export function Thumbnail({ item }: { item: UploadItem }) {
  const preview = usePreview(item, { maxSize: 96 });
  if (!preview) return <span className="thumbnail-placeholder" />;
  return <img src={preview.url} width={preview.width} height={preview.height} alt="" />;
}
