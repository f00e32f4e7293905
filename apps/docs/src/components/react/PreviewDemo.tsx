import type { UploadItem } from '@updown/core';
import { formatBytes } from '@updown/core';
import { usePreview, useUpload } from '@updown/react';
import { useId } from 'react';

/** One row: its thumbnail made by usePreview, released when the row goes. */
function Row({ item, remove }: { item: UploadItem; remove: (id: string) => void }) {
  const preview = usePreview(item, { maxSize: 96 });
  return (
    <li className="ud-row ud-row--preview" data-status={item.status}>
      <span className="ud-thumb" aria-hidden="true">
        {preview ? (
          <img src={preview.url} width={preview.width} height={preview.height} alt="" />
        ) : (
          '—'
        )}
      </span>
      <span className="ud-row__name">{item.name}</span>
      <span className="ud-row__meta">
        {formatBytes(item.size)}
        {preview ? ` · ${preview.originalWidth} × ${preview.originalHeight}` : ''}
      </span>
      <span className="ud-row__actions">
        <button type="button" className="ud-btn ud-btn--small" onClick={() => remove(item.id)}>
          Remove
        </button>
      </span>
    </li>
  );
}

/** The previews demo: thumbnails of images and videos, made in the browser, nothing sent. */
export default function PreviewDemo() {
  const up = useUpload({ transport: async () => ({}), rules: { accept: 'image/*,video/*' } });
  const title = useId();
  return (
    <section className="ud-demo not-content" data-demo="previews" aria-label="Previews demo">
      <div {...up.getRootProps({ className: 'ud-drop', 'aria-labelledby': title })}>
        <input {...up.getInputProps()} />
        <p className="ud-drop__title" id={title}>
          Drop photos or videos to see their thumbnails (nothing is uploaded)
        </p>
      </div>
      <ul className="ud-list" aria-label="Files">
        {up.items.map((item) => (
          <Row key={item.id} item={item} remove={up.remove} />
        ))}
      </ul>
    </section>
  );
}
