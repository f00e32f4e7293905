import type { TransferLike } from './files-from-event';

export interface DropzoneOptions {
  /** Clicking the root does not open the file dialog (`open()` still does). Defaults to `false`. */
  noClick?: boolean;
  /** Dropping on the root does nothing and shows no drag state. Defaults to `false`. */
  noDrag?: boolean;
  /** Enter and Space on the focused root do not open the dialog, and the root is not in the tab order. Defaults to `false`. */
  noKeyboard?: boolean;
  /** Pasting files into the focused root does not add them. Defaults to `false`. */
  noPaste?: boolean;
  /** Nothing opens, drops, pastes or shows drag state. Defaults to `false`. */
  disabled?: boolean;
  /**
   * The dialog picks a whole folder (`webkitdirectory`), each file keeping its relative path.
   * Dropped folders are walked either way. Defaults to `false`.
   */
  directory?: boolean;
  /**
   * The usual extension of a MIME type, for the drag verdict under an `accept` of extensions
   * (a drag shows types, never names). Pass `extensionForMime` from `@updown/core` to know the
   * common types (`image/jpeg` as `.jpg`, Office documents, …); without it a type counts as
   * its subtype (`application/pdf` as `.pdf`) and any other pairing shows `isDragUnknown`.
   * The drop is judged by name either way.
   */
  extensionForMime?: (mimeType: string) => string | undefined;
}

/**
 * The least of an event the handlers read, so React's synthetic events and native DOM events
 * both fit.
 */
export interface DropzoneEvent {
  preventDefault(): void;
  stopPropagation(): void;
  readonly target?: unknown;
  readonly currentTarget?: unknown;
  readonly dataTransfer?: (TransferLike & { dropEffect?: string }) | null;
  readonly clipboardData?: TransferLike | null;
  readonly key?: string;
}

export type DropzoneHandler = (event: DropzoneEvent) => void;

export interface DropzoneRootHandlers {
  onDragEnter: DropzoneHandler;
  onDragOver: DropzoneHandler;
  onDragLeave: DropzoneHandler;
  onDrop: DropzoneHandler;
  onClick: DropzoneHandler;
  onKeyDown: DropzoneHandler;
  onPaste: DropzoneHandler;
}

export interface DropzoneRootAttributes {
  /** `'button'` while a click or a key can open the dialog. */
  role?: 'button';
  /** `0` unless `noKeyboard` or `disabled`. */
  tabIndex?: number;
  'aria-disabled'?: boolean;
}

export interface DropzoneInputHandlers {
  onChange: DropzoneHandler;
  /** Stops the click from reaching the root, which would open the dialog a second time. */
  onClick: DropzoneHandler;
}

export interface DropzoneInputAttributes {
  type: 'file';
  /** From the uploader's `rules.accept`. */
  accept?: string;
  multiple: boolean;
  /** `''` (present) when `directory` is set. */
  webkitdirectory?: '';
  style: { display: 'none' };
  tabIndex: -1;
  disabled?: boolean;
}

export interface Dropzone {
  /** Attributes and handlers for the root element, to spread (React) or bind (Solid, vanilla). */
  getRootProps(): DropzoneRootAttributes & DropzoneRootHandlers;
  /** Attributes and handlers for the hidden `<input type=file>`. */
  getInputProps(): DropzoneInputAttributes & DropzoneInputHandlers;
  /** The same handlers every time, whatever the options. */
  readonly rootHandlers: DropzoneRootHandlers;
  readonly inputHandlers: DropzoneInputHandlers;
  /** A new object only when something in it changed. */
  getRootAttributes(): DropzoneRootAttributes;
  /** A new object only when something in it changed (the uploader's `accept` and `multiple` included). */
  getInputAttributes(): DropzoneInputAttributes;
  /** Opens the file dialog. Call it from a user's click or key handler: browsers allow it only there. */
  open(): void;
  /** Ref callback for the root element (used to tell a drag leaving the root from one leaving a child). */
  setRoot(element: Element | null): void;
  /** Ref callback for the input element `open()` clicks. */
  setInput(element: HTMLInputElement | null): void;
  /**
   * Vanilla use: binds the handlers to `root`, sets its attributes, and adds a hidden input
   * inside it when none was given. Returns the function that undoes all of it.
   */
  attach(root: HTMLElement): () => void;
  /** Merges new options in. */
  update(options: DropzoneOptions): void;
  /** Detaches, ends any drag state, and forgets the elements. */
  destroy(): void;
}
