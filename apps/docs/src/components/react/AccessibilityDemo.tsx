import { useAnnouncement, useUpload } from '@updown/react';
import { useId, useState } from 'react';

/** The accessibility demo: a named drop zone that can be disabled, and its live region shown. */
export default function AccessibilityDemo() {
  const [disabled, setDisabled] = useState(false);
  const up = useUpload({
    endpoint: '/api/files/upload',
    autoUpload: true,
    rules: { accept: 'image/*,.txt,.pdf', maxSize: 1024 * 1024 },
    disabled,
  });
  const announcement = useAnnouncement(up.uploader);
  const ids = { title: useId(), hint: useId(), switch: useId() };
  return (
    <section className="ud-demo not-content" data-demo="a11y" aria-label="Accessibility demo">
      <div
        {...up.getRootProps({
          className: 'ud-drop',
          'aria-labelledby': ids.title,
          'aria-describedby': ids.hint,
        })}
      >
        <input {...up.getInputProps()} />
        <p className="ud-drop__title" id={ids.title}>
          Upload images, text or PDF
        </p>
        <p className="ud-drop__hint" id={ids.hint}>
          Press Enter or Space to choose; up to 1 MiB each; sent at once
        </p>
      </div>
      <div className="ud-toolbar">
        <label className="ud-switch" htmlFor={ids.switch}>
          <input
            id={ids.switch}
            type="checkbox"
            checked={disabled}
            onChange={(event) => setDisabled(event.currentTarget.checked)}
          />
          Disabled
        </label>
      </div>
      {/* Shown here so you can read what a screen reader is told; usually visually hidden. */}
      <p className="ud-summary" role="status" aria-live="polite" aria-atomic="true">
        {announcement || 'Nothing announced yet.'}
      </p>
    </section>
  );
}
