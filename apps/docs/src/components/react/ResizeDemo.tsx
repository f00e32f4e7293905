import { formatBytes, resizeImage } from '@updown/core';
import { useUpload } from '@updown/react';
import { useId, useState } from 'react';

const resize = resizeImage({ maxWidth: 1600, type: 'image/jpeg', quality: 0.8 });

/** The resize demo: photos scaled to 1600 px and re-encoded before the rules and the upload. */
export default function ResizeDemo() {
  // The size each file had before the step, by the name it is sent under.
  const [before, setBefore] = useState<Record<string, number>>({});
  const up = useUpload({
    endpoint: '/api/files/upload',
    rules: { accept: 'image/*', maxSize: 1024 * 1024 },
    prepare: async (file) => {
      const sent = await resize(file);
      setBefore((sizes) => ({ ...sizes, [sent.name]: file.size }));
      return sent;
    },
  });
  const title = useId();
  const queued = up.items.some((item) => item.status === 'queued');
  return (
    <section className="ud-demo not-content" data-demo="resize" aria-label="Resize demo">
      <div {...up.getRootProps({ className: 'ud-drop', 'aria-labelledby': title })}>
        <input {...up.getInputProps()} />
        <p className="ud-drop__title" id={title}>
          Drop photos: scaled to 1600 px, sent as JPEG, judged against a 1 MiB limit after that
        </p>
      </div>
      <div className="ud-toolbar">
        <button
          type="button"
          className="ud-btn ud-btn--primary"
          disabled={!queued}
          onClick={() => up.upload()}
        >
          Upload
        </button>
        <span className="ud-toolbar__spacer" />
        <button type="button" className="ud-btn" onClick={() => up.clear()}>
          Clear
        </button>
      </div>
      <ul className="ud-list" aria-label="Files">
        {up.items.map((item) => (
          <li key={item.id} className="ud-row" data-status={item.status}>
            <span className="ud-row__name">{item.name}</span>
            <span className="ud-row__meta">
              {before[item.name] !== undefined ? `${formatBytes(before[item.name] ?? 0)} → ` : ''}
              {formatBytes(item.size)} · {item.status}
            </span>
          </li>
        ))}
        {up.rejected.map((rejection, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rejections have no id; the list only grows until cleared
          <li key={index} className="ud-row" data-status="rejected">
            <span className="ud-row__name">{rejection.file.name}</span>
            <span className="ud-row__meta">
              {rejection.errors.map((e) => e.message).join('; ')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
