import {
  createDropzone,
  createUploader,
  download,
  type FileRejection,
  formatBytes,
  type UploaderState,
  type UploadItem,
} from '@updown/core';
import { storedFile, type UploadAnswer } from '../src/demo-kit/answer';
import {
  dragAttribute,
  progressLine,
  renamedCopy,
  rowMeta,
  rowPercent,
  STATUS_LABEL,
  savedAs,
} from '../src/demo-kit/format';
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

const list = $<HTMLUListElement>('#files');

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

/**
 * One file's row, built once and updated in place: rebuilding it (or moving it) on every
 * progress tick would swap the button under a press, so a click would never land.
 */
interface Row {
  li: HTMLLIElement;
  name: HTMLElement;
  bar: HTMLProgressElement;
  meta: HTMLElement;
  buttons: Record<'cancel' | 'retry' | 'download' | 'remove', HTMLButtonElement>;
  item: UploadItem<UploadAnswer>;
}

const rows = new Map<string, Row>();

function makeRow(item: UploadItem<UploadAnswer>): Row {
  const li = document.createElement('li');
  li.innerHTML =
    '<span class="name"></span><span class="actions"></span><progress max="100"></progress><span class="meta"></span>';
  const row: Row = {
    li,
    name: li.querySelector('.name') as HTMLElement,
    bar: li.querySelector('progress') as HTMLProgressElement,
    meta: li.querySelector('.meta') as HTMLElement,
    // Each reads the row's item when pressed, so the handlers never need replacing.
    buttons: {
      cancel: button('Cancel', () => uploader.cancel(row.item.id)),
      retry: button('Retry', () => uploader.retry(row.item.id)),
      download: button('Download', () => {
        const stored = storedFile(row.item);
        if (stored) {
          const filename = renamedCopy(stored.name);
          void download({ url: savedAs(stored.url, filename), filename });
        }
      }),
      remove: button('Remove', () => uploader.remove(row.item.id)),
    },
    item,
  };
  (li.querySelector('.actions') as HTMLElement).append(...Object.values(row.buttons));
  return row;
}

function updateRow(row: Row, item: UploadItem<UploadAnswer>): void {
  row.item = item;
  row.li.dataset.status = item.status;
  row.name.textContent = item.relativePath ?? item.name;
  row.bar.value = rowPercent(item);
  row.meta.textContent = `${STATUS_LABEL[item.status]} · ${rowMeta(item)}`;
  const { cancel, retry, download: save } = row.buttons;
  cancel.hidden = !['queued', 'uploading', 'paused'].includes(item.status);
  retry.hidden = item.status !== 'error' && item.status !== 'cancelled';
  save.hidden = storedFile(item) === undefined;
}

function rowFor(item: UploadItem<UploadAnswer>): HTMLLIElement {
  let row = rows.get(item.id);
  if (!row) {
    row = makeRow(item);
    rows.set(item.id, row);
  }
  // The state is immutable: an item object seen before has nothing new to show.
  if (row.item !== item || !row.li.dataset.status) updateRow(row, item);
  return row.li;
}

// Rejections have no id: each object is its own row, the same file refused twice is two.
const rejectionRows = new WeakMap<FileRejection, HTMLLIElement>();
const dismissed = new WeakSet<FileRejection>();

function rejectionRow(rejection: FileRejection): HTMLLIElement {
  let li = rejectionRows.get(rejection);
  if (!li) {
    li = document.createElement('li');
    li.dataset.status = 'rejected';
    const text = document.createElement('span');
    text.className = 'name';
    text.textContent = `${rejection.file.name}: ${rejection.errors.map((e) => e.message).join('; ')}`;
    const remove = button('Remove', () => {
      dismissed.add(rejection);
      render(uploader.getState());
    });
    remove.setAttribute('aria-label', `Remove ${rejection.file.name}`);
    const actions = document.createElement('span');
    actions.className = 'actions';
    actions.append(remove);
    li.append(text, actions);
    rejectionRows.set(rejection, li);
  }
  return li;
}

/** Puts `children` in `parent` in order, moving only the nodes that are out of place. */
function reconcile(parent: HTMLElement, children: readonly HTMLElement[]): void {
  children.forEach((child, index) => {
    const there = parent.children[index];
    if (there !== child) parent.insertBefore(child, there ?? null);
  });
  while (parent.children.length > children.length) parent.lastElementChild?.remove();
}

function render(state: UploaderState<UploadAnswer>): void {
  const live = new Set(state.items.map((item) => item.id));
  for (const id of rows.keys()) if (!live.has(id)) rows.delete(id);
  reconcile(list, [
    ...state.items.map(rowFor),
    ...state.rejected.filter((rejection) => !dismissed.has(rejection)).map(rejectionRow),
  ]);
  $<HTMLProgressElement>('#total-progress').value = state.progress.percent;
  $<HTMLElement>('#total-text').textContent = progressLine(state);
  root.dataset.drag = dragAttribute(state) ?? '';
}

uploader.subscribe(render);
render(uploader.getState());
