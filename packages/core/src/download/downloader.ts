import { abortError, isAbortError } from '../shared/abort';
import { resolveHeaders } from '../shared/headers';
import { withExtension } from '../shared/mime-extension';
import { defaultScheduler, type Scheduler } from '../shared/scheduler';
import { createSpeedMeter } from '../shared/speed-meter';
import { createStore } from '../shared/store';
import { filenameFromUrl, responseFilename } from './download-filename';
import { DownloadHttpError } from './download-http-error';
import {
  type DownloadAction,
  downloadReducer,
  INITIAL_DOWNLOADER_STATE,
  makeProgress,
} from './download-machine';
import type { DownloadDataOptions } from './download-options';
import type {
  DownloadError,
  Downloader,
  DownloaderOptions,
  DownloaderState,
  StartOptions,
} from './downloader-types';
import { memorySink } from './memory-sink';
import { defaultSaveWindow, type SaveWindow, saveBlob } from './save-blob';
import { type DownloadSink, openSaveStream } from './save-stream';
import { toBlob } from './to-blob';

/** What the downloader takes from its surroundings; tests pass their own. */
export interface DownloaderEnvironment {
  /** Clock and timers for notifications and speed. Defaults to `defaultScheduler`. */
  scheduler?: Scheduler;
}

/** What the last answer said that makes a resume possible. */
interface ResumeInfo {
  /** A strong ETag, else Last-Modified: the only validators `If-Range` may carry. */
  readonly validator: string;
  readonly total: number | null;
  readonly mimeType: string;
  readonly filename: string;
}

/**
 * A download you can watch, cancel and resume. Nothing is fetched until `start()`. Given
 * `{ data }` instead of a URL, it converts the data with `toBlob` and saves it through the
 * same store, so a UI watches both kinds alike (progress jumps to 100: converting is quick).
 *
 * @example
 * const dl = createDownloader({ url: '/api/files/abc', filename: 'report.pdf' })
 * dl.subscribe(({ status, progress }) => render(status, progress.percent))
 * button.onclick = () => dl.start()          // saves it; `start({ save: false })` only returns the Blob
 */
export function createDownloader(
  options: DownloaderOptions | DownloadDataOptions,
  environment: DownloaderEnvironment = {},
): Downloader {
  const scheduler = environment.scheduler ?? defaultScheduler;
  let state = INITIAL_DOWNLOADER_STATE;
  // Only URL downloads carry these; data downloads have none of them.
  const settings: Pick<DownloaderOptions, 'notifyIntervalMs' | 'onProgress' | 'resume'> =
    'data' in options ? {} : options;
  const store = createStore<DownloaderState>({
    compute: () => state,
    notifyIntervalMs: settings.notifyIntervalMs,
    scheduler,
  });
  const { onProgress } = settings;
  if (onProgress) {
    store.subscribe((told) => {
      if (told.status === 'downloading' || told.status === 'success') onProgress(told.progress);
    });
  }

  let controller: AbortController | undefined;
  let running: Promise<Blob> | undefined;
  let sink: DownloadSink | undefined;
  let resumeInfo: ResumeInfo | undefined;

  function dispatch(action: DownloadAction) {
    const previous = state;
    state = downloadReducer(state, action);
    if (state === previous) return;
    store.invalidate();
    // A new status, or a new answer (its name, its length, a restart from zero), is told at
    // once; the byte counts between are told at most once per interval, the last one always.
    if (action.type !== 'progress' || action.filename !== undefined) store.flush();
  }

  function dropSink() {
    const current = sink;
    sink = undefined;
    resumeInfo = undefined;
    if (current) void Promise.resolve(current.abort()).catch(() => {});
  }

  function saveOrThrow(blob: Blob, filename: string, win: SaveWindow): void {
    try {
      saveBlob(blob, filename, { win, revokeDelayMs: options.revokeDelayMs });
    } catch (error) {
      throw Object.assign(
        new Error('The file was downloaded but could not be saved', { cause: error }),
        { code: 'save-failed' },
      );
    }
  }

  async function produce(
    data: DownloadDataOptions,
    save: boolean,
    signal: AbortSignal,
  ): Promise<Blob> {
    const blob = await toBlob(data.data, data.mimeType, { quality: data.quality });
    if (signal.aborted) throw abortError('The download was cancelled');
    const filename = withExtension(data.filename ?? 'download', blob.type);
    const done = makeProgress(blob.size, blob.size, 0);
    dispatch({ type: 'progress', progress: done, filename });
    const win = data.win ?? defaultSaveWindow();
    if (save && win) saveOrThrow(blob, filename, win);
    dispatch({ type: 'succeed', blob, progress: done });
    return blob;
  }

  async function run(save: boolean, signal: AbortSignal): Promise<Blob> {
    if ('data' in options) return produce(options, save, signal);
    const win = options.win ?? defaultSaveWindow();
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (!sink) {
      // The picker must be the first thing awaited, while the click's user activation lasts.
      if (save && win && options.streamToDisk) {
        const guess = options.filename ?? filenameFromUrl(options.url) ?? 'download';
        const mimeType = options.mimeType;
        sink = await openSaveStream(mimeType ? withExtension(guess, mimeType) : guess, {
          mimeType,
          win,
        });
      }
      sink ??= memorySink();
    }
    const target = sink;
    // Sampled more often than the uploader's: one download, read chunk by chunk.
    const meter = createSpeedMeter({ now: () => scheduler.now(), minSampleMs: 100 });

    for (let attempt = 0; ; attempt++) {
      const resuming = target.size > 0 && resumeInfo !== undefined && options.resume !== false;
      const headers = new Headers(resolveHeaders(options.headers));
      if (resuming) {
        headers.set('Range', `bytes=${target.size}-`);
        headers.set('If-Range', resumeInfo!.validator);
      }
      const response = await fetchImpl(options.url, {
        credentials: options.credentials ?? 'same-origin',
        headers,
        signal,
      });

      if (resuming && response.status === 416 && attempt === 0) {
        // The file changed under us in a way If-Range did not catch: start over once.
        await response.body?.cancel().catch(() => {});
        resumeInfo = undefined;
        continue;
      }
      if (!response.ok) throw await DownloadHttpError.fromResponse(response);

      let total: number | null;
      let mimeType: string;
      let filename: string;
      if (response.status === 206 && resuming) {
        const range = parseContentRange(response.headers.get('Content-Range'));
        if (!range || range.start !== target.size) {
          await response.body?.cancel().catch(() => {});
          if (attempt > 0)
            throw new TypeError('The server answered a Range request with the wrong bytes');
          resumeInfo = undefined;
          continue;
        }
        total = range.total ?? resumeInfo!.total;
        ({ mimeType, filename } = resumeInfo!);
      } else {
        // A full answer (200, also to a Range request whose If-Range no longer matched): start clean.
        if (target.size > 0) await target.reset();
        total = contentLength(response);
        mimeType = options.mimeType ?? response.headers.get('Content-Type') ?? '';
        filename = responseFilename(response, options.url, mimeType, options.filename);
        const validator = rangeValidator(response);
        resumeInfo = validator ? { validator, total, mimeType, filename } : undefined;
      }

      let loaded = target.size;
      meter.reset();
      meter.sample(loaded);
      dispatch({ type: 'progress', progress: makeProgress(loaded, total, 0), filename });
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const wait = target.write(value);
          if (wait) await wait;
          loaded += value.byteLength;
          dispatch({
            type: 'progress',
            progress: makeProgress(loaded, total, meter.sample(loaded)),
          });
        }
      }
      if (total !== null && loaded < total) {
        throw new TypeError(`The connection closed after ${loaded} of ${total} bytes`);
      }
      const blob = await target.finish(mimeType);
      sink = undefined;
      resumeInfo = undefined;
      if (save && win && !target.savesItself) saveOrThrow(blob, filename, win);
      dispatch({ type: 'succeed', blob, progress: makeProgress(loaded, total, 0) });
      return blob;
    }
  }

  function start(startOptions: StartOptions = {}): Promise<Blob> {
    if (running) return running;
    const ownController = new AbortController();
    controller = ownController;
    const outer = startOptions.signal;
    if (outer?.aborted) ownController.abort(outer.reason);
    const onOuterAbort = () => ownController.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });

    dispatch({ type: 'start', loaded: sink?.size ?? 0 });
    const promise = run(startOptions.save ?? true, ownController.signal).then(
      (blob) => blob,
      async (error: unknown) => {
        if (!ownController.signal.aborted && !isAbortError(error)) {
          // Keep what arrived before the interruption, for a resume.
          await sink?.seal().catch(() => dropSink());
        }
        // Checked again: cancel() may have come while sealing.
        if (ownController.signal.aborted || isAbortError(error)) {
          dropSink();
          dispatch({ type: 'cancel' });
          throw abortError('The download was cancelled');
        }
        const canResume =
          settings.resume !== false && resumeInfo !== undefined && (sink?.size ?? 0) > 0;
        if (!canResume) dropSink();
        dispatch({ type: 'fail', error: toDownloadError(error), canResume });
        throw error;
      },
    );
    running = promise.finally(() => {
      outer?.removeEventListener('abort', onOuterAbort);
      if (controller === ownController) controller = undefined;
      running = undefined;
    });
    // The caller may only watch the store: an unhandled rejection must not be its problem.
    running.catch(() => {});
    return running;
  }

  function cancel() {
    if (controller) {
      controller.abort();
      return;
    }
    if (state.status === 'error') {
      dropSink();
      dispatch({ type: 'cancel' });
    }
  }

  return {
    getState: () => store.getState(),
    subscribe: (listener) => store.subscribe(listener),
    start,
    cancel,
  };
}

function contentLength(response: Response): number | null {
  // With a content coding, Content-Length counts compressed bytes but the stream gives decoded ones.
  const coding = response.headers.get('Content-Encoding');
  if (coding && coding.toLowerCase() !== 'identity') return null;
  const header = response.headers.get('Content-Length');
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

function rangeValidator(response: Response): string | undefined {
  if (!/\bbytes\b/i.test(response.headers.get('Accept-Ranges') ?? '')) return undefined;
  const etag = response.headers.get('ETag');
  // If-Range needs a strong validator; a weak ETag would never match.
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers.get('Last-Modified') ?? undefined;
}

function parseContentRange(
  header: string | null,
): { start: number; total: number | null } | undefined {
  const match = header ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}

function toDownloadError(error: unknown): DownloadError {
  if (error instanceof DownloadHttpError) {
    return { code: error.code, message: error.message, status: error.status };
  }
  const code =
    (error as { code?: unknown } | null)?.code === 'save-failed' ? 'save-failed' : 'network-error';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
}

export type { DownloaderState };
