import {
  createDropzone,
  createUploader,
  download,
  formatBytes,
  type UploaderState,
  type UploadItem,
} from '@updown/core';
import type { UploadAnswer } from '../src/demo-kit/answer';
import { demoRules } from './rules.mjs';

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;

const uploader = createUploader<UploadAnswer>({
  endpoint: '/api/files/upload',
  rules: demoRules,
  concurrency: 3,
});
const dropzone = createDropzone(uploader);
const root = $<HTMLElement>('#dropzone');
dropzone.attach(root);
$<HTMLElement>('#dropzone-hint').textContent =
  `Images, text, PDF, JSON, Markdown or zip; up to ${formatBytes(demoRules.maxSize)} each, ${demoRules.maxFiles} files.`;

$('#upload').addEventListener('click', () => void uploader.upload());
$('#cancel-all').addEventListener('click', () => uploader.cancel());
$('#clear').addEventListener('click', () => uploader.clear());
$('#download-data').addEventListener('click', () => {
  const state = uploader.getState();
  void download({
    data: {
      madeAt: new Date().toISOString(),
      files: state.items.map(({ name, size, status }) => ({ name, size, status })),
    },
    filename: 'updown-report.json',
  });
});

const rows = new Map<string, HTMLLIElement>();
const list = $<HTMLUListElement>('#files');

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

function renderItem(item: UploadItem<UploadAnswer>): HTMLLIElement {
  let row = rows.get(item.id);
  if (!row) {
    row = document.createElement('li');
    row.innerHTML =
      '<span class="name"></span><span class="actions"></span><progress max="100"></progress><span class="meta"></span>';
    rows.set(item.id, row);
  }
  row.dataset.status = item.status;
  (row.querySelector('.name') as HTMLElement).textContent = item.relativePath ?? item.name;
  (row.querySelector('progress') as HTMLProgressElement).value = item.progress.percent;
  const detail = item.error
    ? item.error.message
    : `${item.status} · ${formatBytes(item.progress.loaded)} of ${formatBytes(item.size)}`;
  (row.querySelector('.meta') as HTMLElement).textContent = detail;
  const actions = row.querySelector('.actions') as HTMLElement;
  actions.replaceChildren();
  if (item.status === 'uploading' || item.status === 'queued')
    actions.append(button('Cancel', () => uploader.cancel(item.id)));
  if (item.status === 'error' || item.status === 'cancelled')
    actions.append(button('Retry', () => uploader.retry(item.id)));
  const stored = item.response?.files[0];
  if (item.status === 'success' && stored) {
    actions.append(
      button(
        'Download',
        () => void download({ url: stored.url, filename: `copy-of-${stored.name}` }),
      ),
    );
  }
  actions.append(button('Remove', () => uploader.remove(item.id)));
  return row;
}

function render(state: UploaderState<UploadAnswer>): void {
  const live = new Set(state.items.map((item) => item.id));
  for (const [id, row] of rows) {
    if (live.has(id)) continue;
    row.remove();
    rows.delete(id);
  }
  const children: HTMLLIElement[] = state.items.map(renderItem);
  for (const rejection of state.rejected) {
    const row = document.createElement('li');
    row.dataset.status = 'rejected';
    row.textContent = `${rejection.file.name}: ${rejection.errors.map((e) => e.message).join('; ')}`;
    children.push(row);
  }
  list.replaceChildren(...children);
  const { percent, bytesPerSecond, etaSeconds } = state.progress;
  $<HTMLProgressElement>('#total-progress').value = percent;
  $<HTMLElement>('#total-text').textContent =
    state.items.length === 0
      ? 'Nothing yet'
      : `${Math.floor(percent)}% · ${formatBytes(bytesPerSecond)}/s${etaSeconds === null ? '' : ` · ${Math.ceil(etaSeconds)} s left`}`;
  root.dataset.drag = !state.isDragActive
    ? ''
    : state.isDragReject
      ? 'reject'
      : state.isDragAccept
        ? 'accept'
        : 'unknown';
}

uploader.subscribe(render);
render(uploader.getState());
