// A storage whose disk fills up: every write past `failAfter` bytes (counted per file, and
// per tus PATCH) fails as ENOSPC does, over a real diskStorage. Not part of the package build.
import type { PartialWriter, ResumableStorage } from '../storage/resumable-storage';
import type { Storage, WriteSink } from '../storage/storage';

function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

/** Wraps one writer: past `failAfter` bytes, `write` rejects with ENOSPC. */
function failingWrites<W extends { write(chunk: Uint8Array): Promise<void> | undefined }>(
  inner: W,
  failAfter: number,
): Pick<W, 'write'> {
  let seen = 0;
  return {
    write(chunk) {
      seen += chunk.length;
      if (seen > failAfter) return Promise.reject(noSpace());
      return inner.write(chunk);
    },
  };
}

export function failingStorage(storage: Storage, failAfter: number): Storage {
  const resumable = storage.resumable;
  const failingResumable: ResumableStorage | undefined = resumable && {
    ...resumable,
    async appendAt(id, offset): Promise<PartialWriter> {
      const writer = await resumable.appendAt(id, offset);
      const { write } = failingWrites(writer, failAfter);
      return {
        get bytesWritten() {
          return writer.bytesWritten;
        },
        write,
        close: () => writer.close(),
        discard: () => writer.discard(),
      };
    },
  };
  return {
    ...storage,
    ...(failingResumable ? { resumable: failingResumable } : {}),
    async begin(id): Promise<WriteSink> {
      const sink = await storage.begin(id);
      const { write } = failingWrites(sink, failAfter);
      return {
        id: sink.id,
        get bytesWritten() {
          return sink.bytesWritten;
        },
        write,
        commit: (meta) => sink.commit(meta),
        abort: () => sink.abort(),
      };
    },
  };
}
