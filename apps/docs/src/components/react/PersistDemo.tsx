import {
  createPersistedQueue,
  formatBytes,
  indexedDbUrlStore,
  type PersistedQueue,
  tusTransport,
} from '@updown/core';
import { useSelector, useUpload } from '@updown/react';
import { useEffect, useId, useState } from 'react';

const idle: PersistedQueue = {
  getState: () => ({ ready: false, resumable: [] }),
  subscribe: () => () => {},
  restore: async () => 0,
  forget: async () => {},
  destroy: () => {},
};

/** The persisted queue demo: pause an upload, reload the page, and resume it. */
export default function PersistDemo() {
  const [transport] = useState(() =>
    tusTransport({
      endpoint: '/api/files/tus',
      chunkSize: 1024 * 1024,
      urlStore: indexedDbUrlStore({ name: 'updown-docs-demo' }),
    }),
  );
  const up = useUpload({ transport });
  // Made in the browser only: IndexedDB is not there during the static build.
  const [queue, setQueue] = useState<PersistedQueue>(idle);
  useEffect(() => {
    const made = createPersistedQueue(up.uploader, { name: 'updown-docs-demo', keepFiles: true });
    setQueue(made);
    return () => made.destroy();
  }, [up.uploader]);
  const { ready, resumable } = useSelector(queue);
  const title = useId();
  return (
    <section className="ud-demo not-content" data-demo="persist" aria-label="Persisted queue demo">
      {ready && resumable.length > 0 ? (
        <div className="ud-summary" role="status">
          <span className="ud-summary__text">
            From your last visit:{' '}
            {resumable
              .map((r) => `${r.name} (${formatBytes(r.loaded)} of ${formatBytes(r.size)})`)
              .join(', ')}
          </span>
          <button
            type="button"
            className="ud-btn ud-btn--primary"
            onClick={() => void queue.restore()}
          >
            Put back
          </button>
          <button type="button" className="ud-btn" onClick={() => void queue.forget()}>
            Forget
          </button>
        </div>
      ) : null}
      <div {...up.getRootProps({ className: 'ud-drop', 'aria-labelledby': title })}>
        <input {...up.getInputProps()} />
        <p className="ud-drop__title" id={title}>
          Drop a large file, upload, pause, then reload this page
        </p>
      </div>
      <div className="ud-toolbar">
        <button type="button" className="ud-btn ud-btn--primary" onClick={() => up.upload()}>
          Upload
        </button>
      </div>
      <ul className="ud-list" aria-label="Files">
        {up.items.map((item) => (
          <li key={item.id} className="ud-row" data-status={item.status}>
            <span className="ud-row__name">{item.name}</span>
            <span className="ud-row__meta">
              {formatBytes(item.progress.loaded)} / {formatBytes(item.size)} · {item.status}
            </span>
            <span className="ud-row__actions">
              {item.status === 'uploading' ? (
                <button
                  type="button"
                  className="ud-btn ud-btn--small"
                  onClick={() => up.pause(item.id)}
                >
                  Pause
                </button>
              ) : null}
              {item.status === 'paused' ? (
                <button
                  type="button"
                  className="ud-btn ud-btn--small"
                  onClick={() => up.resume(item.id)}
                >
                  Resume
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
