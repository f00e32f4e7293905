import { close, fdatasync, fstat, fsync, open, write } from 'node:fs';

/** What a writer needs of an open file: `FileHandle` has this shape too. */
export interface WritableFile {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

const settle =
  <T>(resolve: (value: T) => void, reject: (error: unknown) => void) =>
  (error: NodeJS.ErrnoException | null, value: T) =>
    error ? reject(error) : resolve(value);

/**
 * What a call on a closed file gets, without reaching the descriptor: its number may belong to
 * another file by now (a FileHandle refuses the same way).
 */
function closedError<T>(): Promise<T> {
  return Promise.reject(Object.assign(new Error('file closed'), { code: 'EBADF' }));
}

// A file dropped without its close (a writer nobody finished) closes when it is collected, as
// a FileHandle would.
const unclosed = new FinalizationRegistry<number>((fd) => close(fd, () => {}));

/**
 * A file opened as a plain descriptor, its calls made with callbacks. A `FileHandle` costs
 * about twice the main thread's time per file (its object, its promise machinery): with a
 * thousand small files in one request, that was the main thread's largest cost after the
 * parser.
 */
class DescriptorFile implements WritableFile {
  #closed = false;

  constructor(readonly fd: number) {
    unclosed.register(this, fd, this);
  }

  write(buffer: Uint8Array, offset: number, length: number, position: number) {
    if (this.#closed) return closedError<{ bytesWritten: number }>();
    return new Promise<{ bytesWritten: number }>((resolve, reject) => {
      write(this.fd, buffer, offset, length, position, (error, bytesWritten) =>
        error ? reject(error) : resolve({ bytesWritten }),
      );
    });
  }

  sync() {
    if (this.#closed) return closedError<void>();
    return new Promise<void>((resolve, reject) => fsync(this.fd, settle(resolve, reject)));
  }

  datasync() {
    if (this.#closed) return closedError<void>();
    return new Promise<void>((resolve, reject) => fdatasync(this.fd, settle(resolve, reject)));
  }

  stat() {
    if (this.#closed) return closedError<{ size: number }>();
    return new Promise<{ size: number }>((resolve, reject) =>
      fstat(this.fd, settle(resolve, reject)),
    );
  }

  close() {
    // Twice would close whatever descriptor the number was given to since.
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    unclosed.unregister(this);
    return new Promise<void>((resolve, reject) => close(this.fd, settle(resolve, reject)));
  }
}

/** Opens `path` with `flags` (`'wx'`, `'r+'`...) for writing through a plain descriptor. */
export function openFile(path: string, flags: string): Promise<WritableFile> {
  return new Promise((resolve, reject) => {
    open(path, flags, (error, fd) => (error ? reject(error) : resolve(new DescriptorFile(fd))));
  });
}
