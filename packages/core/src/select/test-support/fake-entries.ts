import type {
  FileSystemDirectoryEntryLike,
  FileSystemEntryLike,
  FileSystemFileEntryLike,
} from '../directory-walker';

/** Chromium's batch size for `readEntries()`. */
export const BROWSER_BATCH = 100;

export interface FakeDirectory extends FileSystemDirectoryEntryLike {
  /** How many times `readEntries()` was called, over every reader. */
  readonly reads: number;
}

export function fakeFileEntry(name: string, content = name, type = ''): FileSystemFileEntryLike {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file(success) {
      setTimeout(() => success(new File([content], name, { type })), 0);
    },
  };
}

export function brokenFileEntry(name: string): FileSystemFileEntryLike {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file(_success, error) {
      setTimeout(() => error?.(new Error('NotFoundError')), 0);
    },
  };
}

/** A directory whose readers hand out at most `batch` entries per call, like browsers do. */
export function fakeDirectoryEntry(
  name: string,
  children: FileSystemEntryLike[],
  batch = BROWSER_BATCH,
): FakeDirectory {
  let reads = 0;
  return {
    isFile: false,
    isDirectory: true,
    name,
    get reads() {
      return reads;
    },
    createReader() {
      let offset = 0;
      return {
        readEntries(success) {
          reads += 1;
          const slice = children.slice(offset, offset + batch);
          offset += slice.length;
          setTimeout(() => success(slice), 0);
        },
      };
    },
  };
}

export function manyFiles(count: number, prefix = 'f'): FileSystemFileEntryLike[] {
  return Array.from({ length: count }, (_, i) => fakeFileEntry(`${prefix}${i}.txt`, `#${i}`));
}
