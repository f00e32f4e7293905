import { extensionForEssence, mimeEssence } from '../shared/mime-extension';

/** Where a download's bytes go while they arrive. */
export interface DownloadSink {
  /** Bytes held so far (the offset a resumed request continues from). */
  readonly size: number;
  /** `true` when finishing also saved the file (the user already chose where). */
  readonly savesItself: boolean;
  /** May return without waiting; a returned promise means "wait before writing more". */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** After an interruption: keeps every byte written so far for a resume. */
  seal(): Promise<void>;
  /** Drops every byte held, for a restart from zero. */
  reset(): Promise<void> | void;
  /** Ends writing and gives the whole file as a Blob. */
  finish(mimeType: string): Promise<Blob>;
  /** Drops the bytes and releases what holds them. */
  abort(): Promise<void> | void;
}

// Structural types: the File System Access API is not in TypeScript's DOM library.
interface WritableFileStreamLike {
  write(data: Uint8Array): Promise<void>;
  truncate(size: number): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

interface FileHandleLike {
  createWritable(options?: { keepExistingData?: boolean }): Promise<WritableFileStreamLike>;
  getFile(): Promise<File>;
}

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description?: string; accept: Record<string, string[]> }[];
}

/** A window that may have `showSaveFilePicker` (Chromium browsers, in a secure context). */
export interface PickerWindow {
  showSaveFilePicker?: (options?: SaveFilePickerOptions) => Promise<FileHandleLike>;
}

/** `true` when this window can stream a download straight to a file the user picks. */
export function canStreamToDisk(win: unknown): win is Required<PickerWindow> {
  return (
    typeof win === 'object' &&
    win !== null &&
    typeof (win as PickerWindow).showSaveFilePicker === 'function'
  );
}

/**
 * Asks the user where to save (it must run in a click handler: the picker needs a user
 * gesture), then returns a sink that writes every chunk straight to that file, so memory stays
 * flat whatever the size. Resolves with `undefined` when the window has no picker or refuses
 * it (cross-origin iframe); rejects with an `AbortError` when the user dismisses the picker.
 * Bytes land in a temporary file that the browser moves into place on `finish()`; `abort()`
 * leaves nothing behind.
 */
export async function openSaveStream(
  filename: string,
  options: { mimeType?: string; win?: unknown } = {},
): Promise<DownloadSink | undefined> {
  const win = options.win ?? (typeof window === 'undefined' ? undefined : window);
  if (!canStreamToDisk(win)) return undefined;
  let handle: FileHandleLike;
  try {
    handle = await win.showSaveFilePicker(pickerOptions(filename, options.mimeType));
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    // SecurityError (iframe, no user gesture) or TypeError (types refused): fall back to a Blob.
    return undefined;
  }
  const writable = await handle.createWritable();
  let size = 0;
  return {
    get size() {
      return size;
    },
    savesItself: true,
    write(chunk) {
      size += chunk.byteLength;
      return writable.write(chunk);
    },
    async seal() {
      // The open file keeps what was written; the next attempt appends to it.
    },
    async reset() {
      // truncate(0) also moves the write position back to the start.
      await writable.truncate(0);
      size = 0;
    },
    async finish() {
      await writable.close();
      // A File backed by the saved file on disk, not by memory.
      return handle.getFile();
    },
    async abort() {
      size = 0;
      await writable.abort().catch(() => {});
    },
  };
}

function pickerOptions(filename: string, mimeType: string | undefined): SaveFilePickerOptions {
  const essence = mimeType ? mimeEssence(mimeType) : undefined;
  const extension = essence ? extensionForEssence(essence) : undefined;
  if (!essence || !extension) return { suggestedName: filename };
  return { suggestedName: filename, types: [{ accept: { [essence]: [`.${extension}`] } }] };
}
