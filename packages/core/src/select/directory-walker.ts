/** The part of a `FileSystemEntry` (from `DataTransferItem.webkitGetAsEntry()`) the walk uses. */
export interface FileSystemEntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
}

export interface FileSystemFileEntryLike extends FileSystemEntryLike {
  file(success: (file: File) => void, error?: (error: unknown) => void): void;
}

export interface FileSystemDirectoryReaderLike {
  readEntries(
    success: (entries: FileSystemEntryLike[]) => void,
    error?: (error: unknown) => void,
  ): void;
}

export interface FileSystemDirectoryEntryLike extends FileSystemEntryLike {
  createReader(): FileSystemDirectoryReaderLike;
}

/** A file found in a dropped folder, with its path from the dropped folder's parent. */
export interface WalkedFile {
  readonly file: File;
  /** `folder/sub/a.txt` for a file inside a dropped `folder`. */
  readonly relativePath: string;
}

function isDirectoryEntry(entry: FileSystemEntryLike): entry is FileSystemDirectoryEntryLike {
  return (
    entry.isDirectory && typeof (entry as FileSystemDirectoryEntryLike).createReader === 'function'
  );
}

function isFileEntry(entry: FileSystemEntryLike): entry is FileSystemFileEntryLike {
  return entry.isFile && typeof (entry as FileSystemFileEntryLike).file === 'function';
}

function readBatch(reader: FileSystemDirectoryReaderLike): Promise<FileSystemEntryLike[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/**
 * Every entry of a directory. `readEntries()` hands out at most 100 entries per call in
 * Chromium (and a platform-defined batch elsewhere), so it is called until a batch is empty.
 * Should a call fail, the entries read before it are kept.
 */
export async function readAllEntries(
  directory: FileSystemDirectoryEntryLike,
): Promise<FileSystemEntryLike[]> {
  const entries: FileSystemEntryLike[] = [];
  try {
    const reader = directory.createReader();
    for (;;) {
      const batch = await readBatch(reader);
      if (batch.length === 0) return entries;
      entries.push(...batch);
    }
  } catch {
    return entries;
  }
}

function fileOf(entry: FileSystemFileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Walks an entry recursively and returns its files in listing order, depth first, each with
 * its relative path. `prefix` is the path of the entry's parent, ending in `/` (or empty).
 * An entry the browser cannot read (a broken link, a permission error) is skipped, so one
 * bad file does not lose the rest of the drop.
 */
export async function walkEntry(entry: FileSystemEntryLike, prefix = ''): Promise<WalkedFile[]> {
  const relativePath = `${prefix}${entry.name}`;
  if (isFileEntry(entry)) {
    try {
      return [{ file: await fileOf(entry), relativePath }];
    } catch {
      return [];
    }
  }
  if (!isDirectoryEntry(entry)) return [];
  const children = await readAllEntries(entry);
  const walked = await Promise.all(children.map((child) => walkEntry(child, `${relativePath}/`)));
  return walked.flat();
}
