import {
  createDropzone,
  createUploader,
  type Dropzone,
  type Uploader,
  type UploaderState,
} from '@updown/core';
import {
  splitBindingOptions,
  type UploadBindingOptions,
  type UploadCommands,
  uploadCommands,
} from '@updown/core/bindings';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer } from 'react';
import {
  type InputProps,
  mergeProps,
  type RootProps,
  type UserInputProps,
  type UserProps,
} from './prop-getters';
import { useOwned } from './use-owned';
import { useSelector } from './use-selector';

export interface UseUploadOptions<R = unknown> extends UploadBindingOptions<R> {}

export interface UseUploadResult<R = unknown> extends UploaderState<R>, UploadCommands<R> {
  /**
   * Props for the drop zone element. Your props win over ours, your handlers run before
   * ours (call `event.stopPropagation()` in one to skip ours, as in react-dropzone), and
   * your `ref` is merged with ours.
   */
  getRootProps<E extends HTMLElement = HTMLElement>(props?: UserProps<E>): RootProps<E>;
  /** Props for the hidden `<input type="file">`, composed the same way. */
  getInputProps(props?: UserInputProps): InputProps;
}

// useLayoutEffect warns when rendered on a server; there it has nothing to do anyway.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

interface Owned<R> {
  uploader: Uploader<R>;
  dropzone: Dropzone;
}

/**
 * A drop zone and an upload queue for one component: files chosen, dropped or pasted are
 * judged by `rules`, queued, and sent by the transport. The uploader is made once, kept
 * through re-renders and StrictMode, and destroyed on unmount (aborting what is sending);
 * options may change between renders without losing items.
 *
 * @example
 * ```tsx
 * function Uploads() {
 *   const { getRootProps, getInputProps, isDragActive, items, rejected, upload } = useUpload({
 *     endpoint: '/api/files/upload',
 *     rules: { accept: 'image/*', maxSize: 10 * 1024 * 1024 },
 *   });
 *   return (
 *     <div {...getRootProps({ className: isDragActive ? 'zone active' : 'zone' })}>
 *       <input {...getInputProps()} />
 *       <p>Drop images here, or click to choose</p>
 *       <ul>{items.map((item) => <li key={item.id}>{item.name} {item.progress.percent}%</li>)}</ul>
 *       {rejected.map((r) => <p key={r.file.name}>{r.file.name}: {r.errors[0]?.message}</p>)}
 *       <button type="button" onClick={() => upload()}>Upload</button>
 *     </div>
 *   );
 * }
 * ```
 */
export function useUpload<R = unknown>(options: UseUploadOptions<R> = {}): UseUploadResult<R> {
  const [uploaderOptions, dropzoneOptions] = splitBindingOptions(options);
  const { uploader, dropzone } = useOwned<Owned<R>>(
    () => {
      const made = createUploader<R>(uploaderOptions);
      return { uploader: made, dropzone: createDropzone(made, dropzoneOptions) };
    },
    (owned) => {
      owned.dropzone.destroy();
      owned.uploader.destroy();
    },
  );

  const state = useSelector(uploader);
  const rootAttributes = dropzone.getRootAttributes();
  const inputAttributes = dropzone.getInputAttributes();
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  // Options are plain values and callbacks, new on every render: pushing them is cheap and
  // tells no listener, so there is nothing to compare. Before paint, so the next event
  // already sees them; when they change the attributes (accept, disabled…), render again.
  useIsomorphicLayoutEffect(() => {
    uploader.setOptions(uploaderOptions);
    dropzone.update(dropzoneOptions);
    if (
      dropzone.getRootAttributes() !== rootAttributes ||
      dropzone.getInputAttributes() !== inputAttributes
    ) {
      rerender();
    }
  });

  const getRootProps = useCallback(
    <E extends HTMLElement>(props?: UserProps<E>) =>
      mergeProps<E>(
        { attributes: rootAttributes, handlers: dropzone.rootHandlers, ref: dropzone.setRoot },
        props,
      ) as RootProps<E>,
    [dropzone, rootAttributes],
  );
  const getInputProps = useCallback(
    (props?: UserInputProps) =>
      mergeProps<HTMLInputElement>(
        { attributes: inputAttributes, handlers: dropzone.inputHandlers, ref: dropzone.setInput },
        props,
      ) as InputProps,
    [dropzone, inputAttributes],
  );

  const commands = useMemo(() => uploadCommands(uploader, dropzone), [uploader, dropzone]);

  return { ...state, ...commands, getRootProps, getInputProps };
}
