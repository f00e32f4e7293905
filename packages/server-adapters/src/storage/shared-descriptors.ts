import { close, createReadStream, open, read } from 'node:fs';
import type { Readable } from 'node:stream';
import { openReadStream } from './disk-files';
import type { ByteRange } from './storage';

interface Entry {
  /** The descriptor once open; until then, `opening`. */
  fd: number | undefined;
  opening: Promise<number> | undefined;
  /** Streams reading from it now: it is closed only when none is. */
  readers: number;
  /** Read since the last sweep. */
  used: boolean;
}

function openRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd)));
  });
}

/**
 * Lets the entry go once, when its stream closes or is collected. Made in a scope of its own,
 * so that what the registry holds does not hold the stream.
 */
function releaser<E>(release: (path: string, entry: E) => void, path: string, entry: E) {
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    release(path, entry);
  };
}

/**
 * The file system of a stream on a shared descriptor: Node's, but its close does nothing. A
 * read stream closes its descriptor when destroyed whatever `autoClose` says, and a shared
 * one closed under other readers would fail their reads, or, its number reused by the next
 * open, feed them another file's bytes.
 */
const KEEP_OPEN = { open, read, close: (_fd: number, done: (error: null) => void) => done(null) };

/** What a stream dropped unread and undestroyed still holds, released when it is collected. */
const unreleased = new FinalizationRegistry<() => void>((release) => release());

/**
 * Read streams over descriptors kept open between the requests for a file: a download of a
 * small range is then one read, not an open, a read and a close (each a round trip to libuv's
 * thread pool and two context switches: half of them gone per small range, measured). Only for files that never change once
 * published (a stored file's bytes, whose id is never reused): `forget` a path when it is
 * deleted or its metadata changed, and no new reader gets the old descriptor. A descriptor is
 * closed only once no stream reads from it, so its number is never reused under a reader;
 * one unused for a sweep (`idleMs`, 1 to 2 s) is closed. At most `capacity` are kept; past
 * that a stream gets a descriptor of its own, closed with it, as it would without this.
 */
export function sharedDescriptors({ capacity = 64, idleMs = 1000 } = {}): {
  createReadStream(path: string, highWaterMark: number, range?: ByteRange): Promise<Readable>;
  forget(path: string): void;
} {
  const entries = new Map<string, Entry>();
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const closeEntry = (path: string, entry: Entry) => {
    if (entries.get(path) === entry) entries.delete(path);
    if (entry.fd !== undefined) close(entry.fd, () => {});
  };

  const sweep = () => {
    for (const [path, entry] of entries) {
      if (entry.readers === 0 && !entry.used && entry.fd !== undefined) closeEntry(path, entry);
      else entry.used = false;
    }
    if (entries.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const release = (path: string, entry: Entry) => {
    entry.readers--;
    // Forgotten while it was read: nobody else can reach it, so it goes now.
    if (entry.readers === 0 && entries.get(path) !== entry) closeEntry(path, entry);
  };

  async function acquire(path: string): Promise<Entry | undefined> {
    let entry = entries.get(path);
    if (!entry) {
      if (entries.size >= capacity) return undefined;
      const opening = openRead(path);
      entry = { fd: undefined, opening, readers: 0, used: true };
      entries.set(path, entry);
      sweeper ??= setInterval(sweep, idleMs);
      sweeper.unref();
      const opened = entry;
      opening.then(
        (fd) => {
          opened.fd = fd;
          opened.opening = undefined;
          // Forgotten while it opened, and no one waits for it any more.
          if (opened.readers === 0 && entries.get(path) !== opened) closeEntry(path, opened);
        },
        () => {
          if (entries.get(path) === opened) entries.delete(path);
        },
      );
    }
    entry.readers++;
    entry.used = true;
    if (entry.opening) {
      try {
        await entry.opening;
      } catch (error) {
        entry.readers--;
        throw error;
      }
    }
    return entry;
  }

  return {
    async createReadStream(path, highWaterMark, range) {
      const entry = await acquire(path);
      // Full: a descriptor of its own, closed with the stream.
      if (!entry) return openReadStream(path, highWaterMark, range);
      // Always at a position: a shared descriptor's own offset is anyone's.
      const stream = createReadStream('', {
        fd: entry.fd as number,
        highWaterMark,
        // Destroyed at its end as any read stream, its descriptor left open.
        fs: KEEP_OPEN,
        start: range?.start ?? 0,
        ...(range ? { end: range.end } : {}),
      });
      const done = releaser(release, path, entry);
      unreleased.register(stream, done, stream);
      stream.once('close', () => {
        unreleased.unregister(stream);
        done();
      });
      return stream;
    },

    forget(path) {
      const entry = entries.get(path);
      if (!entry) return;
      entries.delete(path);
      if (entry.readers === 0 && entry.fd !== undefined) closeEntry(path, entry);
    },
  };
}
