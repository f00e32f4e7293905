import type { DownloadDataOptions } from '../download/download';
import { createDownloader } from '../download/downloader';
import type { Downloader, DownloaderOptions } from '../download/downloader-types';
import type { Dropzone, DropzoneOptions } from '../select/dropzone-types';
import type { AddResult, Uploader, UploaderOptions, UploadItem } from '../upload/uploader-types';

/*
 * What every framework binding of the core (`@updown/react`, `@updown/solid`) shares: the
 * options its upload hook takes, the commands it hands out, the download hook's shape and
 * what its `download` does, and the store shape its state hooks read.
 * A binding adds only what its framework needs (prop getters with its event names, state
 * in its reactive form).
 */

/**
 * Anything with a current state and change notifications: an `Uploader`, a downloader, or a
 * store of your own. Structural on purpose, as TanStack Store's adapters are.
 */
export interface ReadableStore<S> {
  getState(): S;
  subscribe(listener: (state: S) => void): () => void;
}

/** Options of an upload hook: the uploader's and the drop zone's, in one object. */
export interface UploadBindingOptions<R = unknown> extends UploaderOptions<R>, DropzoneOptions {}

/** The commands an upload hook hands out, bound to its uploader and drop zone. */
export interface UploadCommands<R = unknown> {
  /** Opens the file dialog; call it from a click or key handler. */
  open(): void;
  add(files: Iterable<File> | ArrayLike<File>): Promise<AddResult<R>>;
  upload(ids?: string | readonly string[]): Promise<readonly UploadItem<R>[]>;
  cancel(id?: string): void;
  retry(id?: string): void;
  remove(id: string): void;
  clear(): void;
  pause(id: string): void;
  resume(id: string): void;
  /** The uploader behind the hook, to read one item in a row component or to share. */
  uploader: Uploader<R>;
}

const DROPZONE_KEYS = [
  'noClick',
  'noDrag',
  'noKeyboard',
  'noPaste',
  'disabled',
  'directory',
] as const satisfies readonly (keyof DropzoneOptions)[];

/** Splits a hook's options into the uploader's and the drop zone's. */
export function splitBindingOptions<R>(
  options: UploadBindingOptions<R>,
): [UploaderOptions<R>, DropzoneOptions] {
  const uploaderOptions: Record<string, unknown> = { ...options };
  const dropzoneOptions: Record<string, unknown> = {};
  for (const key of DROPZONE_KEYS) {
    if (key in uploaderOptions) dropzoneOptions[key] = uploaderOptions[key];
    delete uploaderOptions[key];
  }
  return [uploaderOptions as UploaderOptions<R>, dropzoneOptions as DropzoneOptions];
}

/** The commands of an upload hook, bound to its uploader and drop zone. */
export function uploadCommands<R>(uploader: Uploader<R>, dropzone: Dropzone): UploadCommands<R> {
  return {
    open: () => dropzone.open(),
    add: (files) => uploader.add(files),
    upload: (ids) => uploader.upload(ids),
    cancel: (id) => uploader.cancel(id),
    retry: (id) => uploader.retry(id),
    remove: (id) => uploader.remove(id),
    clear: () => uploader.clear(),
    pause: (id) => uploader.pause(id),
    resume: (id) => uploader.resume(id),
    uploader,
  };
}

/** Options of a download hook: defaults for each download it starts. */
export interface DownloadBindingOptions extends Partial<DownloaderOptions> {
  /** Save the file when it is complete (in a browser). Defaults to `true`. */
  save?: boolean;
}

/** The commands a download hook hands out. */
export interface DownloadCommands {
  /**
   * Starts a download (cancelling the one running): a URL, with these options over the
   * hook's, or data made on the spot (`{ data, filename, mimeType }`, anything `toBlob` takes).
   * Resolves with the Blob, or `undefined` when it failed or was cancelled (see `error`
   * and `status`): it never rejects, so it is safe to call from an event handler.
   */
  download(args: DownloaderOptions | DownloadDataOptions): Promise<Blob | undefined>;
  cancel(): void;
}

/**
 * One call of a download hook's `download(args)`, in two steps so the hook can watch the
 * downloader before it starts: the downloader (for a URL, `args` over the hook's options;
 * data as given), and `start`, which saves unless the hook's `save` is `false` and resolves
 * `undefined` instead of rejecting.
 */
export function prepareDownload(
  args: DownloaderOptions | DownloadDataOptions,
  options: DownloadBindingOptions,
): { downloader: Downloader; start: () => Promise<Blob | undefined> } {
  const { save = true, ...defaults } = options;
  const downloader = createDownloader('data' in args ? args : { ...defaults, ...args });
  return {
    downloader,
    start: () => downloader.start({ save }).catch(() => undefined),
  };
}
