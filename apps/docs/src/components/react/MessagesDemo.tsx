import { formatBytes, type Messages } from '@updown/core';
import { useUpload } from '@updown/react';
import { useId, useState } from 'react';

const FRENCH: Messages = {
  'file-invalid-type': '{name} : seules les images sont acceptées',
  'file-too-large': '{name} pèse {size}, la limite est {maxSize}',
  'too-many-files': '{maxFiles} fichiers au plus',
};

/** The messages demo: the same rules, worded in English (the default) or in French. */
export default function MessagesDemo() {
  const [french, setFrench] = useState(true);
  const up = useUpload({
    endpoint: '/api/files/upload',
    rules: { accept: 'image/*', maxSize: 200 * 1024, maxFiles: 3 },
    messages: french ? FRENCH : undefined,
  });
  const ids = { title: useId(), lang: useId() };
  return (
    <section className="ud-demo not-content" data-demo="messages" aria-label="Messages demo">
      <div {...up.getRootProps({ className: 'ud-drop', 'aria-labelledby': ids.title })}>
        <input {...up.getInputProps()} />
        <p className="ud-drop__title" id={ids.title}>
          Drop files: images up to {formatBytes(200 * 1024)}, three at most
        </p>
      </div>
      <div className="ud-toolbar">
        <label className="ud-switch" htmlFor={ids.lang}>
          <input
            id={ids.lang}
            type="checkbox"
            checked={french}
            onChange={(event) => setFrench(event.currentTarget.checked)}
          />
          French messages
        </label>
        <span className="ud-toolbar__spacer" />
        <button type="button" className="ud-btn" onClick={() => up.clear()}>
          Clear
        </button>
      </div>
      <ul className="ud-list" aria-label="Refused files">
        {up.rejected.map((rejection, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rejections have no id; the list only grows until cleared
          <li key={index} className="ud-row" data-status="rejected">
            <span className="ud-row__name">{rejection.file.name}</span>
            <ul className="ud-row__reasons">
              {rejection.errors.map((error) => (
                <li key={error.code} data-code={error.code}>
                  {error.message}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
