import type { Dropzone, DropzoneOptions } from '../select/dropzone-types';
import type { AddResult, Uploader, UploaderOptions, UploadItem } from '../upload/uploader-types';

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
  'extensionForMime',
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
