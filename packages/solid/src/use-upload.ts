import {
  createDropzone,
  createUploader,
  type DropzoneInputAttributes,
  type DropzoneRootAttributes,
  type UploaderState,
} from '@updown/core';
import {
  splitBindingOptions,
  type UploadBindingOptions,
  type UploadCommands,
  uploadCommands,
} from '@updown/core/bindings';
import { createComputed, createSignal, onCleanup, untrack } from 'solid-js';
import { access, type MaybeAccessor } from './access';
import { createStoreMirror } from './create-store-mirror';
import { everyKey, forwardGetters } from './forward-getters';
import {
  type InputProps,
  mergeProps,
  type RootProps,
  type UserInputProps,
  type UserProps,
} from './prop-getters';

export interface UseUploadOptions<R = unknown> extends UploadBindingOptions<R> {}

export interface UseUploadResult<R = unknown> extends UploaderState<R>, UploadCommands<R> {
  /** The whole state as a Solid store: `state.items[3].progress.percent` tracks that value alone. */
  readonly state: UploaderState<R>;
  /**
   * Props for the drop zone element, to spread: `<div {...up.getRootProps()}>`. Solid's event
   * names (`onDragEnter`, `onDrop`, `onClick`, `onKeyDown`, `onPaste`); your props win over
   * our attributes, your handlers run before ours (`event.stopPropagation()` skips ours), and
   * your `ref` callback is called too.
   */
  getRootProps<E extends HTMLElement = HTMLElement>(props?: UserProps<E>): RootProps<E>;
  /** Props for the hidden `<input type="file">`, composed the same way. */
  getInputProps(props?: UserInputProps): InputProps;
}

const STATE_KEYS = everyKey<UploaderState>({
  items: true,
  rejected: true,
  status: true,
  progress: true,
  isDragActive: true,
  isDragAccept: true,
  isDragReject: true,
  isDragUnknown: true,
});
const ROOT_KEYS = everyKey<DropzoneRootAttributes>({
  role: true,
  tabIndex: true,
  'aria-disabled': true,
});
const INPUT_KEYS = everyKey<DropzoneInputAttributes>({
  type: true,
  accept: true,
  multiple: true,
  webkitdirectory: true,
  style: true,
  tabIndex: true,
  disabled: true,
});

/**
 * A drop zone and an upload queue, as a fine-grained Solid store: a row that reads one
 * item's progress updates alone. Options may be an accessor, followed as signals change,
 * without losing items. Destroyed (aborting what is sending) when the owner is cleaned up;
 * on the server, a snapshot with no subscription. Also exported as `createUpload`.
 *
 * @example
 * ```tsx
 * function Uploads() {
 *   const up = useUpload({ endpoint: '/api/files/upload', rules: { accept: 'image/*' } });
 *   return (
 *     <div {...up.getRootProps()} classList={{ active: up.isDragActive }}>
 *       <input {...up.getInputProps()} />
 *       <p>Drop images here, or click to choose</p>
 *       <For each={up.items}>{(item) => <li>{item.name} {item.progress.percent}%</li>}</For>
 *       <For each={up.rejected}>{(r) => <p>{r.file.name}: {r.errors[0]?.message}</p>}</For>
 *       <button type="button" onClick={() => up.upload()}>Upload</button>
 *     </div>
 *   );
 * }
 * ```
 */
export function useUpload<R = unknown>(
  options: MaybeAccessor<UseUploadOptions<R>> = {},
): UseUploadResult<R> {
  const [uploaderOptions, dropzoneOptions] = splitBindingOptions(untrack(() => access(options)));
  const uploader = createUploader<R>(uploaderOptions);
  const dropzone = createDropzone(uploader, dropzoneOptions);
  const state = createStoreMirror(uploader);
  const [rootAttributes, setRootAttributes] = createSignal(dropzone.getRootAttributes());
  const [inputAttributes, setInputAttributes] = createSignal(dropzone.getInputAttributes());

  if (typeof options === 'function') {
    createComputed(() => {
      const [nextUploader, nextDropzone] = splitBindingOptions(options());
      uploader.setOptions(nextUploader);
      dropzone.update(nextDropzone);
      setRootAttributes(dropzone.getRootAttributes());
      setInputAttributes(dropzone.getInputAttributes());
    });
  }

  onCleanup(() => {
    dropzone.destroy();
    uploader.destroy();
  });

  const result = {
    state,
    getRootProps: <E extends HTMLElement>(props?: UserProps<E>) =>
      mergeProps<E>(
        {
          attributes: rootAttributes,
          keys: ROOT_KEYS,
          handlers: dropzone.rootHandlers,
          ref: dropzone.setRoot,
        },
        props,
      ) as RootProps<E>,
    getInputProps: (props?: UserInputProps) =>
      mergeProps<HTMLInputElement>(
        {
          attributes: inputAttributes,
          keys: INPUT_KEYS,
          handlers: dropzone.inputHandlers,
          ref: dropzone.setInput,
        },
        props,
      ) as InputProps,
    ...uploadCommands(uploader, dropzone),
  };
  // Getters, not values: `up.items` read in JSX tracks the store's `items`.
  return forwardGetters(result, STATE_KEYS, () => state);
}

/** Alias of `useUpload`, named as Solid primitives usually are. */
export const createUpload = useUpload;
