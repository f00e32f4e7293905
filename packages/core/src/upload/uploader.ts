import { combineMessages } from '../rules/messages';
import type { FileRejection } from '../rules/rejection';
import {
  type Rules,
  type Selection,
  selectFiles,
  selectionLimit,
  tooManyFilesError,
} from '../rules/rules';
import { isAbortError } from '../shared/abort';
import { createId } from '../shared/create-id';
import { type RetryPolicy, retryDelay, sleep } from '../shared/retry';
import { defaultScheduler, type Scheduler } from '../shared/scheduler';
import { shallowEqual } from '../shared/shallow-equal';
import { createStore } from '../shared/store';
import type { HttpTransportOptions } from '../transport/http-transport-options';
import type { AbortReason, Transport } from '../transport/transport';
import { isRetryableError } from '../transport/upload-http-error';
import { xhrTransport } from '../transport/xhr-transport';
import { createProgressAggregate } from './aggregate-progress';
import { type DragState, NO_DRAG } from './drag-state';
import { itemErrorOf, rewordItemError } from './item-error';
import { prepareBatch } from './prepare-files';
import { createUploadQueue, slotLimit } from './queue';
import type { UploadItem } from './upload-item';
import { createUploadItem, type UploadItemAction, uploadItemReducer } from './upload-item-reducer';
import { isSettled } from './upload-machine';
import type {
  AddResult,
  Uploader,
  UploaderOptions,
  UploaderState,
  UploaderStatus,
} from './uploader-types';

/** What the uploader takes from its surroundings; tests pass their own. */
export interface UploaderEnvironment {
  /** Clock and timers for notifications, backoff and speed. Defaults to `defaultScheduler`. */
  scheduler?: Scheduler;
  /** Defaults to a random prefix drawn once per page and a counter (`k3x9q2m1a8-1c`). */
  createId?: () => string;
}

/** Exponential backoff from 1 s, capped at 30 s. */
export function defaultRetryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** The `retry` option as a policy; a transport that retries by itself is tried once. */
function retryPolicyOf<R>(
  options: UploaderOptions<R>,
  transport: Transport<R> | null,
): RetryPolicy {
  const retry = options.retry === false ? { attempts: 1 } : (options.retry ?? {});
  return {
    attempts: transport?.retriesItself ? 1 : (retry.attempts ?? 3),
    delay: retry.delay ?? defaultRetryDelay,
    retryable: isRetryableError,
  };
}

/** The item as published, and what the engine keeps beside it. */
interface Entry<R> {
  item: UploadItem<R>;
  /** The running send's controller (its tries and the waits between them); `undefined` when none runs. */
  controller: AbortController | undefined;
  /** Tries made so far: a try whose number is no longer this one is over, and its callbacks count for nothing. */
  tries: number;
  /** Told once when the item settles or leaves: the `upload()` calls waiting for it. */
  onSettle: (() => void) | undefined;
}

/** Whether a try still counts: not stopped (paused, cancelled, removed, destroyed) nor superseded by a later try. */
function isLive(entry: Entry<unknown>, controller: AbortController, tryNumber: number): boolean {
  return entry.tries === tryNumber && entry.controller === controller;
}

/**
 * The upload engine: a queue of items with a concurrency limit, retries with backoff,
 * cancel/pause/resume, and an observable state whose aggregate progress costs O(1) per
 * progress event however many items there are. Listeners are told at most once per
 * `notifyIntervalMs`, never from inside the call that changed the state.
 *
 * @example
 * const uploader = createUploader({ endpoint: '/api/files/upload', rules: { accept: 'image/*' } });
 * uploader.subscribe((state) => render(state.items, state.progress.percent));
 * await uploader.add(input.files);
 * await uploader.upload();
 */
export function createUploader<R = unknown>(
  initialOptions: UploaderOptions<R> = {},
  environment: UploaderEnvironment = {},
): Uploader<R> {
  const scheduler = environment.scheduler ?? defaultScheduler;
  const makeId = environment.createId ?? createId;
  let options: UploaderOptions<R> = { ...initialOptions };
  let destroyed = false;

  // Map keeps insertion order, so it is the item list; the array is rebuilt only when the
  // state is read (at most once per notification), never per progress event.
  const entries = new Map<string, Entry<R>>();
  let itemsArray: readonly UploadItem<R>[] | null = [];
  let rejected: readonly FileRejection<File>[] = [];
  let drag: DragState = NO_DRAG;
  const aggregate = createProgressAggregate({ now: () => scheduler.now() });
  const queue = createUploadQueue<Entry<R>>();
  let addChain: Promise<unknown> = Promise.resolve();

  function overallStatus(): UploaderStatus {
    if (aggregate.count('uploading') > 0) return 'uploading';
    if (aggregate.count('paused') > 0) return 'paused';
    if (aggregate.count('error') > 0) return 'error';
    if (aggregate.count('success') > 0) return 'done';
    return 'idle';
  }

  const store = createStore<UploaderState<R>>({
    compute: () => {
      itemsArray ??= Array.from(entries.values(), (entry) => entry.item);
      return {
        items: itemsArray,
        rejected,
        status: overallStatus(),
        progress: aggregate.snapshot(),
        ...drag,
      };
    },
    notifyIntervalMs: options.notifyIntervalMs,
    scheduler,
  });

  /**
   * The only way an item changes: the reducer makes the next item (the same one when the
   * action is illegal in its status), and a changed one replaces it. O(1). Whether it applied.
   */
  function dispatch(entry: Entry<R>, action: UploadItemAction<R>): boolean {
    const next = uploadItemReducer(entry.item, action);
    if (next === entry.item) return false;
    aggregate.apply(entry.item, next);
    entry.item = next;
    itemsArray = null;
    store.invalidate();
    return true;
  }

  /** Stops whatever runs for the item: a request, or the wait before the next try. */
  function halt(entry: Entry<R>, reason: AbortReason): void {
    const controller = entry.controller;
    entry.controller = undefined;
    controller?.abort(reason);
  }

  function settle(entry: Entry<R>): void {
    queue.release(entry);
    const told = entry.onSettle;
    entry.onSettle = undefined;
    told?.();
  }

  function startable(entry: Entry<R>): boolean {
    return entries.get(entry.item.id) === entry && entry.item.status === 'queued';
  }

  function startQueued(entry: Entry<R>): void {
    begin(entry, { type: 'start' });
  }

  function pump(): void {
    if (destroyed) return;
    store.batch(() => queue.fill(slotLimit(options.concurrency), startable, startQueued));
  }

  // The default transport made for the options now in force: one per `setOptions`, not one per send.
  let built: { for: UploaderOptions<R>; transport: Transport<R> } | null = null;

  // `endpoint` alone sends through XMLHttpRequest, the browsers' one way to count the bytes
  // in flight; where there is none (Node, service workers) a transport is passed in
  // (`defaultTransport` falls back to `fetch`), so a browser bundle carries no `fetch` path.
  function transportFor(): Transport<R> | null {
    if (options.transport) return options.transport;
    if (!options.endpoint || typeof XMLHttpRequest === 'undefined') return null;
    // The options are replaced, never changed, on `setOptions`: the transport may read them.
    if (built?.for !== options) {
      built = { for: options, transport: xhrTransport<R>(options as HttpTransportOptions) };
    }
    return built.transport;
  }

  // One progress action for every event, refilled each time: the reducer keeps nothing of
  // it, so an event allocates only the new item (and a pending send holds one object less).
  const progress = { type: 'progress' as const, loaded: 0, total: 0 };

  /** Moves the item to `uploading` and sends it, with retries, until it settles or is stopped. */
  function begin(entry: Entry<R>, action: UploadItemAction<R>): void {
    if (!dispatch(entry, action)) return;
    const controller = new AbortController();
    entry.controller = controller;
    send(entry, controller, 0);
  }

  /**
   * One try: the transport called once with the item as it is now. A failure the retry
   * policy allows is tried again after its wait, under the same controller. Callbacks, not
   * `async` layers: starting a send is what a big drop pays for thousands of times.
   */
  function send(entry: Entry<R>, controller: AbortController, failures: number): void {
    const transport = transportFor();
    const item = entry.item;
    const metadata = options.metadata;
    const tryNumber = ++entry.tries;
    // Not `new Promise((resolve) => resolve(transport(...)))`, a few bytes shorter: adopting the
    // transport's promise there costs one more job per send (2,000 sends: ~1 ms more).
    let sent: Promise<R>;
    try {
      if (!transport) {
        // None given, and `endpoint` alone needs `XMLHttpRequest`.
        const endpoint = options.endpoint;
        throw Object.assign(
          new Error(
            endpoint
              ? 'No XMLHttpRequest here: set `transport` (defaultTransport or fetchTransport)'
              : 'Set `endpoint` or `transport` to upload',
          ),
          { code: endpoint ? 'missing-transport' : 'missing-endpoint' },
        );
      }
      sent = Promise.resolve(
        transport(
          {
            id: item.id,
            file: item.file,
            name: item.name,
            size: item.size,
            type: item.type,
            relativePath: item.relativePath,
            attempt: item.attempts,
          },
          {
            // Read only when the transport reads it: Node makes the signal on first read
            // (2 to 8 µs each), and a transport that never looks needs none.
            get signal() {
              return controller.signal;
            },
            onProgress(loaded, total) {
              if (!isLive(entry, controller, tryNumber)) return;
              progress.loaded = loaded;
              progress.total = total;
              dispatch(entry, progress);
            },
            metadata: typeof metadata === 'function' ? metadata(item) : (metadata ?? {}),
          },
        ),
      );
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (response) => {
        if (isLive(entry, controller, tryNumber)) finish(entry, { type: 'succeed', response });
      },
      (error: unknown) => {
        if (!isLive(entry, controller, tryNumber)) return;
        entry.tries++;
        // The transport gave up by itself (its own timeout): counted as cancelled, not retried.
        const wait = isAbortError(error)
          ? null
          : retryDelay(retryPolicyOf(options, transport), failures + 1, error);
        if (wait === null) {
          finish(
            entry,
            isAbortError(error)
              ? { type: 'cancel' }
              : {
                  type: 'fail',
                  error: rewordItemError(itemErrorOf(error), options.messages, entry.item),
                },
          );
          return;
        }
        // Rejects only when the controller aborts, and whoever aborted it has moved the item on.
        sleep(wait, controller.signal, scheduler).then(
          () => {
            dispatch(entry, { type: 'resend' });
            send(entry, controller, failures + 1);
          },
          () => {},
        );
      },
    );
  }

  /** The send is over: the item settles and its slot goes to the next one. */
  function finish(entry: Entry<R>, action: UploadItemAction<R>): void {
    entry.controller = undefined;
    store.batch(() => {
      dispatch(entry, action);
      settle(entry);
      pump();
    });
    if (action.type === 'succeed') options.onItemSuccess?.(entry.item);
    else if (action.type === 'fail') options.onItemError?.(entry.item);
  }

  const nothing = (): AddResult<R> => ({ accepted: [], rejected: [] });

  async function addNow(
    files: File[],
    relativePaths: readonly (string | undefined)[] | undefined,
  ): Promise<AddResult<R>> {
    if (destroyed) return nothing();
    const rules: Rules<File> = options.rules ?? {};
    const messages = combineMessages(options.messages, rules.messages);
    const multiple = options.multiple ?? true;
    // As react-dropzone: which one of several was meant is unknown, so none is taken.
    const oneOfMany = !multiple && files.length > 1;
    // Rules judge the file that is sent: the one `prepare` made.
    const batch = await prepareBatch(
      files,
      relativePaths,
      oneOfMany ? undefined : options.prepare,
      messages,
    );
    if (destroyed) return nothing();
    const selection: Selection<File> = oneOfMany
      ? {
          accepted: [],
          rejected: files.map((file) => ({ file, errors: [tooManyFilesError(1, messages, file)] })),
        }
      : await selectFiles(
          batch.files,
          { ...rules, maxFiles: selectionLimit(rules.maxFiles, multiple), messages },
          // Files already held: a cancelled item no longer counts.
          entries.size - aggregate.count('cancelled'),
        );
    // Files `prepare` refused (none when it did not run) come first.
    selection.rejected.unshift(...batch.rejected);
    if (destroyed) return nothing();

    const accepted: UploadItem<R>[] = [];
    store.batch(() => {
      if (aggregate.active === 0) aggregate.resetRun();
      for (const file of selection.accepted) {
        const item = createUploadItem<R>({
          id: makeId(),
          file,
          relativePath: batch.paths.get(file),
        });
        entries.set(item.id, { item, controller: undefined, tries: 0, onSettle: undefined });
        aggregate.apply(undefined, item);
        accepted.push(item);
      }
      if (accepted.length > 0) itemsArray = null;
      if (selection.rejected.length > 0) rejected = [...rejected, ...selection.rejected];
      store.invalidate();
    });
    if (selection.rejected.length > 0) options.onRejected?.(selection.rejected);
    if (options.autoUpload && accepted.length > 0) void upload(accepted.map((item) => item.id));
    return { accepted, rejected: selection.rejected };
  }

  async function upload(ids?: string | readonly string[]): Promise<readonly UploadItem<R>[]> {
    if (destroyed) return [];
    const targets =
      ids === undefined
        ? Array.from(entries.values()).filter((entry) => !isSettled(entry.item.status))
        : (typeof ids === 'string' ? [ids] : ids)
            .map((id) => entries.get(id))
            .filter((entry): entry is Entry<R> => entry !== undefined);
    // One waiter for the whole call, counting down as its items settle.
    await new Promise<void>((resolve) => {
      let waiting = 1;
      const one = () => {
        if (--waiting === 0) resolve();
      };
      for (const entry of targets) {
        if (isSettled(entry.item.status)) continue;
        waiting++;
        const before = entry.onSettle;
        entry.onSettle = before
          ? () => {
              before();
              one();
            }
          : one;
        if (entry.item.status === 'queued') queue.enqueue(entry);
      }
      pump();
      one();
    });
    const items = targets.map((entry) => entry.item);
    if (!destroyed) options.onComplete?.(items);
    return items;
  }

  function removeEntry(entry: Entry<R>): void {
    halt(entry, 'remove');
    entries.delete(entry.item.id);
    aggregate.apply(entry.item, undefined);
    itemsArray = null;
    settle(entry);
    store.invalidate();
  }

  function pick(id: string | undefined): Entry<R>[] {
    if (id === undefined) return Array.from(entries.values());
    const entry = entries.get(id);
    return entry ? [entry] : [];
  }

  const uploader: Uploader<R> = {
    getState: () => store.getState(),
    subscribe: (listener) => store.subscribe(listener),
    add(files, addOptions) {
      const list = Array.from(files as ArrayLike<File>);
      const job = addChain.then(() => addNow(list, addOptions?.relativePaths));
      // Adds run one after another, so `maxFiles` counts what earlier adds accepted.
      addChain = job.catch(() => {});
      return job;
    },
    upload,
    // After `destroy()` no entry is left: the commands on items find nothing to act on.
    cancel(id) {
      store.batch(() => {
        for (const entry of pick(id)) {
          if (!dispatch(entry, { type: 'cancel' })) continue;
          halt(entry, 'cancel');
          settle(entry);
        }
        pump();
      });
    },
    pause(id) {
      const entry = entries.get(id);
      if (!entry) return;
      // A paused item keeps its slot: resuming never waits behind the queue.
      if (dispatch(entry, { type: 'pause' })) halt(entry, 'pause');
    },
    resume(id) {
      const entry = entries.get(id);
      if (!entry) return;
      begin(entry, { type: 'resume' });
    },
    retry(id) {
      const again: string[] = [];
      store.batch(() => {
        if (aggregate.active === 0) aggregate.resetRun();
        for (const entry of pick(id)) {
          if (dispatch(entry, { type: 'retry' })) again.push(entry.item.id);
        }
      });
      if (again.length > 0) void upload(again);
    },
    remove(id) {
      const entry = entries.get(id);
      if (!entry) return;
      store.batch(() => {
        removeEntry(entry);
        if (aggregate.active === 0) aggregate.resetRun();
        pump();
      });
    },
    clear() {
      if (destroyed) return;
      store.batch(() => {
        for (const entry of Array.from(entries.values())) removeEntry(entry);
        rejected = [];
        queue.clear();
        aggregate.resetRun();
        store.invalidate();
      });
    },
    destroy() {
      if (destroyed) return;
      for (const entry of entries.values()) {
        halt(entry, 'destroy');
        entry.onSettle?.();
      }
      destroyed = true;
      entries.clear();
      queue.clear();
      store.destroy();
    },
    getOptions: () => options,
    setOptions(next) {
      options = { ...options, ...next };
      if (next.notifyIntervalMs !== undefined) store.setNotifyInterval(next.notifyIntervalMs);
      pump();
    },
    setDragState(next) {
      const { isDragActive, isDragAccept, isDragReject, isDragUnknown } = next;
      const fresh = { isDragActive, isDragAccept, isDragReject, isDragUnknown };
      if (destroyed || shallowEqual(fresh, drag)) return;
      drag = fresh;
      store.invalidate();
    },
  };
  return uploader;
}
