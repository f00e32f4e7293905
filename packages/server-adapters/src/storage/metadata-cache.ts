import { readFile, type Stats, stat } from 'node:fs';
import { isNotFound } from './not-found';

/** The text of a JSON file as read, with what its `stat` said just before the read. */
interface Entry {
  text: string;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

const sameFile = (entry: Entry, now: Stats) =>
  entry.ino === now.ino &&
  entry.size === now.size &&
  entry.mtimeMs === now.mtimeMs &&
  entry.ctimeMs === now.ctimeMs;

/** `fs.stat` as a promise that resolves `null` for a path that is not there. */
function statOrNull(path: string): Promise<Stats | null> {
  return new Promise((resolve, reject) => {
    stat(path, (error, stats) => {
      if (!error) resolve(stats);
      else if (isNotFound(error)) resolve(null);
      else reject(error);
    });
  });
}

function readText(path: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    readFile(path, 'utf8', (error, text) => {
      if (!error) resolve(text);
      else if (isNotFound(error)) resolve(null);
      else reject(error);
    });
  });
}

/**
 * A reader of small JSON files (the metadata beside each stored file) that reads a file
 * again only when its `stat` changed: a download asks for the metadata on every request, and
 * one `stat` costs a fraction of the open, fstat, read and close of a read. The `stat` is
 * still made every time, so a file deleted or rewritten by another process is seen at once.
 * What it resolves with is parsed anew on each call, so no caller shares an object with
 * another. At most `capacity` files are remembered, the oldest forgotten first. `onChange` is
 * told each time a read found the file gone or read its text (anew, or for the first time):
 * whatever was kept for the file's previous version may be stale.
 */
export function cachedJsonReader(
  capacity = 1024,
  onChange: (path: string) => void = () => {},
): {
  read<T>(path: string): Promise<T | null>;
  forget(path: string): void;
} {
  const entries = new Map<string, Entry>();
  return {
    async read<T>(path: string): Promise<T | null> {
      const before = await statOrNull(path);
      if (!before) {
        entries.delete(path);
        onChange(path);
        return null;
      }
      const known = entries.get(path);
      if (known && sameFile(known, before)) return JSON.parse(known.text) as T;
      onChange(path);
      const text = await readText(path);
      if (text === null) {
        entries.delete(path);
        return null;
      }
      entries.delete(path);
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      // Remembered with the stat from before the read: a change in between is read again.
      entries.set(path, {
        text,
        ino: before.ino,
        size: before.size,
        mtimeMs: before.mtimeMs,
        ctimeMs: before.ctimeMs,
      });
      return JSON.parse(text) as T;
    },
    forget(path: string): void {
      entries.delete(path);
    },
  };
}
