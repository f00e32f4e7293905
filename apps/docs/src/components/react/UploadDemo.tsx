import type { FileRejection, Uploader } from '@updown/core';
import { download, formatBytes } from '@updown/core';
import { useDownload, useSelector, useUpload } from '@updown/react';
import { type MouseEvent, memo, useId, useState } from 'react';
import { type DemoAnswer, storedFile } from '../../demo-kit/answer';
import {
  announcement,
  dragAttribute,
  progressLine,
  renamedCopy,
  rowMeta,
  rowPercent,
  STATUS_LABEL,
  uploadReport,
} from '../../demo-kit/format';
import { demoRules, rulesSummary } from '../../demo-kit/rules';
import { resumableTransport } from '../../demo-kit/transports';

/** The live React demo: a headless `useUpload` with every pixel drawn here. */
export default function UploadDemo() {
  const [resumable, setResumable] = useState(false);
  const up = useUpload<DemoAnswer>({
    endpoint: '/api/files/upload',
    // Read when each file starts: switching only changes how the next files are sent.
    transport: resumable ? resumableTransport() : undefined,
    rules: demoRules,
  });
  const ids = { input: useId(), title: useId(), hint: useId(), mode: useId() };
  // Rejections have no id and the core keeps them until `clear()`: a row dismissed alone is
  // hidden here, by identity (the same file refused twice is two rejections).
  const [dismissed, setDismissed] = useState<readonly FileRejection[]>([]);
  const rejected = up.rejected.filter((rejection) => !dismissed.includes(rejection));
  const clear = () => {
    up.clear();
    setDismissed([]);
  };
  const queued = up.items.some((item) => item.status === 'queued');
  const drag = dragAttribute(up);

  return (
    <section className="ud-demo not-content" data-demo="react" aria-label="Upload demo (React)">
      <div
        {...up.getRootProps({
          className: 'ud-drop',
          'data-drag': drag,
          'aria-labelledby': ids.title,
          'aria-describedby': ids.hint,
        })}
      >
        <input {...up.getInputProps({ id: ids.input })} />
        <svg className="ud-drop__icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-5 5m5-5 5 5M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <p className="ud-drop__title" id={ids.title}>
          Drop files here, paste them, or{' '}
          {/* The root opens the dialog on click too: stop the click so it opens once. */}
          {/* biome-ignore lint/a11y/useKeyWithClickEvents: keys are the root's (Enter/Space); this click only must not reach it */}
          <label
            htmlFor={ids.input}
            className="ud-drop__choose"
            onClick={(event: MouseEvent) => event.stopPropagation()}
          >
            choose files
          </label>
        </p>
        <p className="ud-drop__hint" id={ids.hint}>
          {rulesSummary}
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
        <button
          type="button"
          className="ud-btn"
          disabled={up.items.length === 0 && rejected.length === 0}
          onClick={clear}
        >
          Clear
        </button>
        <label className="ud-switch" htmlFor={ids.mode}>
          <input
            id={ids.mode}
            type="checkbox"
            role="switch"
            checked={resumable}
            aria-checked={resumable}
            onChange={(event) => setResumable(event.currentTarget.checked)}
          />
          Resumable (tus)
        </label>
        <span className="ud-toolbar__spacer" />
        <button
          type="button"
          className="ud-btn"
          onClick={() => download({ data: uploadReport(up), filename: 'updown-report.json' })}
        >
          Download report
        </button>
      </div>

      <div className="ud-summary" data-status={up.status}>
        <progress
          className="ud-progress"
          max={100}
          value={up.progress.percent}
          aria-label="All files"
        />
        <span className="ud-summary__text">{progressLine(up)}</span>
      </div>
      <p className="ud-sr-only" aria-live="polite" aria-atomic="true">
        {announcement(up)}
      </p>

      {(up.items.length > 0 || rejected.length > 0) && (
        <ul className="ud-list" aria-label="Files">
          {up.items.map((item) => (
            <Row key={item.id} uploader={up.uploader} id={item.id} canPause={resumable} />
          ))}
          {rejected.map((rejection) => (
            <li key={rejectionKey(rejection)} className="ud-row" data-status="rejected">
              <span className="ud-row__name">{rejection.file.name}</span>
              <span className="ud-badge">{STATUS_LABEL.rejected}</span>
              <span className="ud-row__meta">{formatBytes(rejection.file.size)}</span>
              <span className="ud-row__actions">
                <button
                  type="button"
                  className="ud-btn ud-btn--small ud-btn--quiet"
                  aria-label={`Remove ${rejection.file.name}`}
                  onClick={() => setDismissed((list) => [...list, rejection])}
                >
                  <svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6 6l12 12M18 6 6 18" />
                  </svg>
                </button>
              </span>
              <ul className="ud-row__reasons">
                {rejection.errors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a custom validate may repeat a code
                  <li key={index}>{error.message}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const rejectionKeys = new WeakMap<FileRejection, number>();
let nextRejectionKey = 0;

/** A key for a rejection row: its object's, stable while it lives, unique however often one file is refused. */
function rejectionKey(rejection: FileRejection): number {
  let key = rejectionKeys.get(rejection);
  if (key === undefined) {
    key = nextRejectionKey++;
    rejectionKeys.set(rejection, key);
  }
  return key;
}

/**
 * One file. Memoized and selecting its own item, it re-renders only when that item changes,
 * not on every other file's progress.
 */
const Row = memo(function Row({
  uploader,
  id,
  canPause,
}: {
  uploader: Uploader<DemoAnswer>;
  id: string;
  /** Pause keeps the bytes sent only with a resumable transport. */
  canPause: boolean;
}) {
  const item = useSelector(uploader, (state) => state.items.find((it) => it.id === id));
  const copy = useDownload();
  const nameId = useId();
  if (!item) return null;
  const stored = storedFile(item);
  const percent = rowPercent(item);

  return (
    <li className="ud-row" data-status={item.status}>
      <span className="ud-row__name" id={nameId} title={item.relativePath ?? item.name}>
        {item.relativePath ?? item.name}
      </span>
      <span className="ud-badge">{STATUS_LABEL[item.status]}</span>
      <span className="ud-row__meta">
        {rowMeta(item)}
        {copy.status === 'downloading' && ` · saving ${copy.progress.percent ?? 0}%`}
      </span>
      <progress className="ud-progress" max={100} value={percent} aria-labelledby={nameId} />
      <span className="ud-row__actions">
        {item.status === 'uploading' && canPause && (
          <button
            type="button"
            className="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => uploader.pause(id)}
          >
            Pause
          </button>
        )}
        {item.status === 'paused' && (
          <button
            type="button"
            className="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => uploader.resume(id)}
          >
            Resume
          </button>
        )}
        {(item.status === 'queued' || item.status === 'uploading' || item.status === 'paused') && (
          <button
            type="button"
            className="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => uploader.cancel(id)}
          >
            Cancel
          </button>
        )}
        {(item.status === 'error' || item.status === 'cancelled') && (
          <button
            type="button"
            className="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => uploader.retry(id)}
          >
            Retry
          </button>
        )}
        {stored && (
          <button
            type="button"
            className="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => copy.download({ url: stored.url, filename: renamedCopy(stored.name) })}
          >
            Download copy
          </button>
        )}
        {item.status !== 'uploading' && (
          <button
            type="button"
            className="ud-btn ud-btn--small ud-btn--quiet"
            aria-label={`Remove ${item.name}`}
            onClick={() => uploader.remove(id)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" />
            </svg>
          </button>
        )}
      </span>
    </li>
  );
});
