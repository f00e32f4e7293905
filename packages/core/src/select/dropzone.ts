import { acceptAttribute } from '../rules/accept';
import { selectionLimit } from '../rules/rules';
import { shallowEqual } from '../shared/shallow-equal';
import { NO_DRAG } from '../upload/drag-state';
import type { Uploader } from '../upload/uploader-types';
import { type DragVerdict, dragHasFiles, dragVerdict, fileItems } from './drag-verdict';
import type {
  Dropzone,
  DropzoneEvent,
  DropzoneInputAttributes,
  DropzoneInputHandlers,
  DropzoneOptions,
  DropzoneRootAttributes,
  DropzoneRootHandlers,
} from './dropzone-types';
import { filesFromInput, filesFromTransfer, type PickedFiles } from './files-from-event';

/** What the root may carry, as named in `DropzoneRootAttributes` (the DOM's name is its lower case). */
const ROOT_ATTRIBUTES = ['role', 'tabIndex', 'aria-disabled'] as const;
/** What the input carries but its style, as named in `DropzoneInputAttributes`. */
const INPUT_ATTRIBUTES = [
  'type',
  'accept',
  'multiple',
  'webkitdirectory',
  'tabIndex',
  'disabled',
] as const;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'nodeType' in value;
}

/**
 * Drag and drop, click, Enter/Space, paste and a hidden file input, all ending in
 * `uploader.add()`; drag state goes to `uploader.setDragState()`. Framework-free: the
 * handlers take the least of an event, so React can spread them and Solid or plain DOM
 * code can bind them. Touches the DOM only when its functions are called.
 *
 * @example
 * const dropzone = createDropzone(uploader, { directory: true });
 * const detach = dropzone.attach(document.querySelector('#drop')!);
 */
export function createDropzone<R>(uploader: Uploader<R>, initial: DropzoneOptions = {}): Dropzone {
  let options: DropzoneOptions = { ...initial };
  let root: Element | null = null;
  let input: HTMLInputElement | null = null;
  // An input this dropzone made (by `attach` or `open`), kept in step with the options.
  let ownInput: HTMLInputElement | null = null;
  // Elements the drag has entered and not yet left; the drag is over the root while any remain.
  const dragTargets = new Set<unknown>();
  let verdict: DragVerdict | null = null;
  let rootAttributes: DropzoneRootAttributes | null = null;
  let inputAttributes: DropzoneInputAttributes | null = null;
  let detachCurrent: (() => void) | null = null;
  let destroyed = false;

  const dragEnabled = () => !destroyed && !options.disabled && !options.noDrag;

  /** Judges the drag as the uploader will judge the drop, and shows it in the uploader's state. */
  function beginDrag(event: DropzoneEvent): void {
    const uploaderOptions = uploader.getOptions();
    const multiple = uploaderOptions.multiple ?? true;
    const rules = uploaderOptions.rules ?? {};
    verdict = dragVerdict(event.dataTransfer, {
      accept: rules.accept,
      multiple,
      maxFiles: selectionLimit(rules.maxFiles, multiple),
      alreadyHeld: uploader.getState().items.filter((item) => item.status !== 'cancelled').length,
      extensionForMime: options.extensionForMime,
    });
    uploader.setDragState({
      isDragActive: true,
      isDragAccept: verdict === 'accept',
      isDragReject: verdict === 'reject',
      isDragUnknown: verdict === 'unknown',
    });
  }

  function endDrag(): void {
    dragTargets.clear();
    if (verdict === null) return;
    verdict = null;
    uploader.setDragState(NO_DRAG);
  }

  function add(picked: PickedFiles): void {
    if (picked.files.length === 0) return;
    // The uploader reports rejections in its state; nothing here to await.
    void uploader.add(picked.files, { relativePaths: picked.relativePaths });
  }

  function openDialog(): void {
    if (destroyed || options.disabled) return;
    if (!input) {
      // No input was given: a detached one works too, as long as it is clicked synchronously.
      input = ownInput = document.createElement('input');
      input.addEventListener('change', inputHandlers.onChange);
    }
    // The uploader's `accept` or `multiple` may have changed since.
    if (input === ownInput) applyInputAttributes(input);
    input.click();
  }

  const rootHandlers: DropzoneRootHandlers = {
    onDragEnter(event) {
      if (!dragEnabled() || !dragHasFiles(event.dataTransfer)) return;
      event.preventDefault();
      dragTargets.add(event.target);
      if (verdict === null) beginDrag(event);
    },
    onDragOver(event) {
      if (!dragEnabled() || !dragHasFiles(event.dataTransfer)) return;
      // Without this the browser refuses the drop.
      event.preventDefault();
      if (verdict === null) {
        // The drag entered before the handlers were bound, or a child stopped `dragenter`.
        dragTargets.add(event.target);
        beginDrag(event);
      }
      // 'copy' even when the rules refuse: the drop must arrive so the rejection, with its
      // reasons, reaches the state. isDragReject already tells the user during the drag.
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(event) {
      if (!dragEnabled() || verdict === null) return;
      event.preventDefault();
      dragTargets.delete(event.target);
      // A child removed during the drag never fires its own leave.
      if (root) {
        for (const target of dragTargets) {
          if (isNode(target) && !root.contains(target)) dragTargets.delete(target);
        }
      }
      if (dragTargets.size === 0) endDrag();
    },
    onDrop(event) {
      if (!dragEnabled()) return;
      const hasFiles = dragHasFiles(event.dataTransfer);
      endDrag();
      if (!hasFiles) return;
      // Or the browser opens the file in place of the page.
      event.preventDefault();
      void filesFromTransfer(event.dataTransfer).then(add);
    },
    onClick() {
      if (destroyed || options.disabled || options.noClick) return;
      openDialog();
    },
    onKeyDown(event) {
      if (destroyed || options.disabled || options.noKeyboard) return;
      if (event.key !== 'Enter' && event.key !== ' ') return;
      // Enter on a button inside the root belongs to that button.
      if (event.currentTarget !== undefined && event.target !== event.currentTarget) return;
      event.preventDefault();
      openDialog();
    },
    onPaste(event) {
      if (destroyed || options.disabled || options.noPaste) return;
      const data = event.clipboardData;
      const hasFiles = fileItems(data).length > 0 || (data?.files?.length ?? 0) > 0;
      // A paste of text goes on as usual.
      if (!hasFiles) return;
      event.preventDefault();
      void filesFromTransfer(data).then(add);
    },
  };

  const inputHandlers: DropzoneInputHandlers = {
    onChange(event) {
      const target = event.target as HTMLInputElement | null;
      const picked = filesFromInput(target);
      // So that choosing the same file again fires `change` again.
      if (target && 'value' in target) target.value = '';
      if (destroyed || options.disabled) return;
      add(picked);
    },
    onClick(event) {
      event.stopPropagation();
    },
  };

  function getRootAttributes(): DropzoneRootAttributes {
    const { disabled, noClick, noKeyboard } = options;
    const next: DropzoneRootAttributes = {};
    if (!(noClick && noKeyboard)) next.role = 'button';
    if (!noKeyboard && !disabled) next.tabIndex = 0;
    if (disabled) next['aria-disabled'] = true;
    // Kept when equal to `next`: so never null here.
    if (!shallowEqual(rootAttributes, next)) rootAttributes = next;
    return rootAttributes as DropzoneRootAttributes;
  }

  function getInputAttributes(): DropzoneInputAttributes {
    const uploaderOptions = uploader.getOptions();
    const next: DropzoneInputAttributes = {
      type: 'file',
      multiple: uploaderOptions.multiple ?? true,
      style: inputAttributes?.style ?? { display: 'none' },
      tabIndex: -1,
    };
    const accept = acceptAttribute(uploaderOptions.rules?.accept);
    if (accept !== undefined) next.accept = accept;
    if (options.directory) next.webkitdirectory = '';
    if (options.disabled) next.disabled = true;
    // Kept when equal to `next`: so never null here.
    if (!shallowEqual(inputAttributes, next)) inputAttributes = next;
    return inputAttributes as DropzoneInputAttributes;
  }

  function applyRootAttributes(element: Element): void {
    setAttributes(element, getRootAttributes(), ROOT_ATTRIBUTES);
  }

  function applyInputAttributes(element: HTMLInputElement): void {
    setAttributes(element, getInputAttributes(), INPUT_ATTRIBUTES);
    element.style.display = 'none';
  }

  return {
    rootHandlers,
    inputHandlers,
    getRootAttributes,
    getInputAttributes,
    getRootProps: () => ({ ...getRootAttributes(), ...rootHandlers }),
    getInputProps: () => ({ ...getInputAttributes(), ...inputHandlers }),
    open: openDialog,
    setRoot(element) {
      root = element;
    },
    setInput(element) {
      input = element;
    },
    attach(element) {
      detachCurrent?.();
      root = element;
      const createdInput = input === null || !element.contains(input);
      const own = createdInput ? document.createElement('input') : (input as HTMLInputElement);
      input = own;
      if (createdInput) ownInput = own;
      applyRootAttributes(element);
      applyInputAttributes(own);
      if (createdInput) element.append(own);

      // Each handler listens to the event it is named for: `onDragEnter` to `dragenter`.
      const listen = (target: Element, handlers: object, add: boolean) => {
        for (const [name, listener] of Object.entries(handlers)) {
          target[add ? 'addEventListener' : 'removeEventListener'](
            name.slice(2).toLowerCase(),
            listener as EventListener,
          );
        }
      };
      listen(element, rootHandlers, true);
      listen(own, inputHandlers, true);

      const detach = () => {
        if (detachCurrent !== detach) return;
        detachCurrent = null;
        listen(element, rootHandlers, false);
        listen(own, inputHandlers, false);
        setAttributes(element, {} as DropzoneRootAttributes, ROOT_ATTRIBUTES);
        if (createdInput) own.remove();
        if (input === own) input = null;
        if (ownInput === own) ownInput = null;
        if (root === element) root = null;
        endDrag();
      };
      detachCurrent = detach;
      return detach;
    },
    update(next) {
      options = { ...options, ...next };
      if (!dragEnabled()) endDrag();
      if (detachCurrent && root) applyRootAttributes(root);
      if (input && (detachCurrent || input === ownInput)) applyInputAttributes(input);
    },
    destroy() {
      detachCurrent?.();
      endDrag();
      destroyed = true;
      root = null;
      input = null;
      ownInput = null;
    },
  };
}

/** Each of `names` set as an attribute (absent when `undefined` or `false`) by its DOM name, in lower case. */
function setAttributes<A extends object>(
  element: Element,
  attributes: A,
  names: readonly (keyof A & string)[],
): void {
  for (const name of names) {
    const value = attributes[name] as string | number | boolean | undefined;
    if (value === undefined || value === false) element.removeAttribute(name.toLowerCase());
    else element.setAttribute(name.toLowerCase(), value === true ? 'true' : String(value));
  }
}
