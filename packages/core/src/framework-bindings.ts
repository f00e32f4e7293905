import type { DownloadDataOptions } from './download';
import type { DownloaderOptions } from './downloader-types';
import type { DropzoneOptions } from './dropzone-types';
import type { AddResult, Uploader, UploaderOptions, UploadItem } from './uploader-types';

/*
 * What every framework binding of the core (`@updown/react`, `@updown/solid`) shares: the
 * options its upload hook takes, the commands it hands out, and the download hook's shape.
 * A binding adds only what its framework needs (prop getters with its event names, state
 * in its reactive form).
 */

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
