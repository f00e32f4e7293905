import { download, type FileRejection, formatBytes, type UploadItem } from '@updown/core';
import { useDownload, useUpload } from '@updown/solid';
import { createSignal, createUniqueId, For, Show } from 'solid-js';
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

/** The live Solid demo: the same UI as the React one, from `@updown/solid`'s store. */
export default function UploadDemo() {
  const [resumable, setResumable] = createSignal(false);
  // An accessor: the options follow the switch. The transport is read when each file starts.
  const up = useUpload<DemoAnswer>(() => ({
    endpoint: '/api/files/upload',
    transport: resumable() ? resumableTransport() : undefined,
    rules: demoRules,
  }));
  const ids = {
    input: createUniqueId(),
    title: createUniqueId(),
    hint: createUniqueId(),
    mode: createUniqueId(),
  };
  // Rejections have no id and the core keeps them until `clear()`: a row dismissed alone is
  // hidden here, by identity (the same file refused twice is two rejections).
  const [dismissed, setDismissed] = createSignal<readonly FileRejection[]>([]);
  const rejected = () => up.rejected.filter((rejection) => !dismissed().includes(rejection));
  const clear = () => {
    up.clear();
    setDismissed([]);
  };
  const queued = () => up.items.some((item) => item.status === 'queued');
  const drag = () => dragAttribute(up);

  return (
    <section class="ud-demo not-content" data-demo="solid" aria-label="Upload demo (Solid)">
      <div
        {...up.getRootProps({
          class: 'ud-drop',
          get 'data-drag'() {
            return drag();
          },
          'aria-labelledby': ids.title,
          'aria-describedby': ids.hint,
        })}
      >
        <input {...up.getInputProps({ id: ids.input })} />
        <svg class="ud-drop__icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-5 5m5-5 5 5M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <p class="ud-drop__title" id={ids.title}>
          Drop files here, paste them, or{' '}
          {/* The root opens the dialog on click too: stop the click so it opens once. */}
          {/* biome-ignore lint/a11y/useKeyWithClickEvents: keys are the root's (Enter/Space); this click only must not reach it */}
          <label
            for={ids.input}
            class="ud-drop__choose"
            onClick={(event) => event.stopPropagation()}
          >
            choose files
          </label>
        </p>
        <p class="ud-drop__hint" id={ids.hint}>
          {rulesSummary}
        </p>
      </div>

      <div class="ud-toolbar">
        <button
          type="button"
          class="ud-btn ud-btn--primary"
          disabled={!queued()}
          onClick={() => up.upload()}
        >
          Upload
        </button>
        <button
          type="button"
          class="ud-btn"
          disabled={up.items.length === 0 && rejected().length === 0}
          onClick={clear}
        >
          Clear
        </button>
        <label class="ud-switch" for={ids.mode}>
          <input
            id={ids.mode}
            type="checkbox"
            role="switch"
            checked={resumable()}
            aria-checked={resumable()}
            onChange={(event) => setResumable(event.currentTarget.checked)}
          />
          Resumable (tus)
        </label>
        <span class="ud-toolbar__spacer" />
        <button
          type="button"
          class="ud-btn"
          onClick={() => download({ data: uploadReport(up), filename: 'updown-report.json' })}
        >
          Download report
        </button>
      </div>

      <div class="ud-summary" data-status={up.status}>
        <progress
          class="ud-progress"
          max={100}
          value={up.progress.percent}
          aria-label="All files"
        />
        <span class="ud-summary__text">{progressLine(up)}</span>
      </div>
      <p class="ud-sr-only" aria-live="polite" aria-atomic="true">
        {announcement(up)}
      </p>

      <Show when={up.items.length > 0 || rejected().length > 0}>
        <ul class="ud-list" aria-label="Files">
          <For each={up.items}>
            {(item) => (
              <Row
                item={item}
                canPause={resumable()}
                pause={() => up.pause(item.id)}
                resume={() => up.resume(item.id)}
                cancel={() => up.cancel(item.id)}
                retry={() => up.retry(item.id)}
                remove={() => up.remove(item.id)}
              />
            )}
          </For>
          <For each={rejected()}>
            {(rejection) => (
              <li class="ud-row" data-status="rejected">
                <span class="ud-row__name">{rejection.file.name}</span>
                <span class="ud-badge">{STATUS_LABEL.rejected}</span>
                <span class="ud-row__meta">{formatBytes(rejection.file.size)}</span>
                <span class="ud-row__actions">
                  <button
                    type="button"
                    class="ud-btn ud-btn--small ud-btn--quiet"
                    aria-label={`Remove ${rejection.file.name}`}
                    onClick={() => setDismissed((list) => [...list, rejection])}
                  >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                      <path d="M6 6l12 12M18 6 6 18" />
                    </svg>
                  </button>
                </span>
                <ul class="ud-row__reasons">
                  <For each={rejection.errors}>{(error) => <li>{error.message}</li>}</For>
                </ul>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** One file. `item` is a store proxy: each binding below updates alone. */
function Row(props: {
  item: UploadItem<DemoAnswer>;
  /** Pause keeps the bytes sent only with a resumable transport. */
  canPause: boolean;
  pause: () => void;
  resume: () => void;
  cancel: () => void;
  retry: () => void;
  remove: () => void;
}) {
  const copy = useDownload();
  const nameId = createUniqueId();
  const item = () => props.item;
  const label = () => item().relativePath ?? item().name;
  const active = () => ['queued', 'uploading', 'paused'].includes(item().status);

  return (
    <li class="ud-row" data-status={item().status}>
      <span class="ud-row__name" id={nameId} title={label()}>
        {label()}
      </span>
      <span class="ud-badge">{STATUS_LABEL[item().status]}</span>
      <span class="ud-row__meta">
        {rowMeta(item())}
        {copy.status === 'downloading' ? ` · saving ${copy.progress.percent ?? 0}%` : ''}
      </span>
      <progress class="ud-progress" max={100} value={rowPercent(item())} aria-labelledby={nameId} />
      <span class="ud-row__actions">
        <Show when={item().status === 'uploading' && props.canPause}>
          <button
            type="button"
            class="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => props.pause()}
          >
            Pause
          </button>
        </Show>
        <Show when={item().status === 'paused'}>
          <button
            type="button"
            class="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => props.resume()}
          >
            Resume
          </button>
        </Show>
        <Show when={active()}>
          <button
            type="button"
            class="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => props.cancel()}
          >
            Cancel
          </button>
        </Show>
        <Show when={item().status === 'error' || item().status === 'cancelled'}>
          <button
            type="button"
            class="ud-btn ud-btn--small"
            aria-describedby={nameId}
            onClick={() => props.retry()}
          >
            Retry
          </button>
        </Show>
        <Show when={storedFile(item())}>
          {(stored) => (
            <button
              type="button"
              class="ud-btn ud-btn--small"
              aria-describedby={nameId}
              onClick={() =>
                copy.download({ url: stored().url, filename: renamedCopy(stored().name) })
              }
            >
              Download copy
            </button>
          )}
        </Show>
        <Show when={item().status !== 'uploading'}>
          <button
            type="button"
            class="ud-btn ud-btn--small ud-btn--quiet"
            aria-label={`Remove ${item().name}`}
            onClick={() => props.remove()}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" />
            </svg>
          </button>
        </Show>
      </span>
    </li>
  );
}
