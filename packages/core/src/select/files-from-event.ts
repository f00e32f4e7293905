import { type FileSystemEntryLike, type WalkedFile, walkEntry } from './directory-walker';
import { fileItems } from './drag-verdict';

/** A `DataTransferItem` as drops and pastes hand it out. */
export interface TransferItemLike {
  readonly kind: string;
  readonly type: string;
  getAsFile?(): File | null;
  webkitGetAsEntry?(): FileSystemEntryLike | null;
}

/** The part of a `DataTransfer` (drop) or clipboard (paste) that carries files. */
export interface TransferLike {
  readonly items?: ArrayLike<TransferItemLike> | null;
  readonly files?: ArrayLike<File> | null;
  readonly types?: ArrayLike<string> | null;
}

/** The part of an `<input type=file>` a change event shows. */
export interface FileInputLike {
  readonly files?: ArrayLike<File> | null;
}

/** Files picked by one gesture, with the relative path of each (`undefined` for a loose file). */
export interface PickedFiles {
  readonly files: File[];
  readonly relativePaths: (string | undefined)[];
}

/** What one item gives: a file alone (no folder path), or a walked folder. */
type Slot = readonly { file: File; relativePath?: string }[] | Promise<readonly WalkedFile[]>;

/**
 * Files of a drop or a paste, dropped folders walked recursively. Items are read before the
 * first `await`, because a `DataTransfer` is emptied once its event handler returns.
 */
export function filesFromTransfer(data: TransferLike | null | undefined): Promise<PickedFiles> {
  const slots: Slot[] = [];
  for (const item of fileItems(data)) {
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) {
      slots.push(walkEntry(entry));
      continue;
    }
    const file = item.getAsFile?.() ?? null;
    if (file) slots.push([{ file }]);
  }
  // Older engines (and some synthetic events) give only `files`.
  if (slots.length === 0 && data?.files) slots.push(Array.from(data.files, (file) => ({ file })));
  return settle(slots);
}

async function settle(slots: readonly Slot[]): Promise<PickedFiles> {
  const picked = (await Promise.all(slots)).flat();
  return {
    files: picked.map((one) => one.file),
    relativePaths: picked.map((one) => one.relativePath),
  };
}

/** Files chosen in the dialog; a folder chosen with `webkitdirectory` keeps its paths. */
export function filesFromInput(input: FileInputLike | null | undefined): PickedFiles {
  const files = input?.files ? Array.from(input.files) : [];
  return {
    files,
    relativePaths: files.map((file) => file.webkitRelativePath || undefined),
  };
}

/** What `filesFromEvent` reads: a drop, a paste, or a change on a file input. */
export interface FileEventLike {
  readonly dataTransfer?: TransferLike | null;
  readonly clipboardData?: TransferLike | null;
  readonly target?: unknown;
}

/** Files of a drop, a paste or an input's change event, whichever this event is. */
export function filesFromEvent(event: FileEventLike): Promise<PickedFiles> {
  if (event.dataTransfer) return filesFromTransfer(event.dataTransfer);
  if (event.clipboardData) return filesFromTransfer(event.clipboardData);
  return Promise.resolve(filesFromInput(event.target as FileInputLike | null | undefined));
}
