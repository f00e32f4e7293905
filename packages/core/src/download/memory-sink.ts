import type { DownloadSink } from './save-stream';

/**
 * Collects the bytes into Blobs that the runtime builds natively from a stream (in Chromium,
 * `new Blob(chunks)` over many small chunks is several times slower and holds every chunk in
 * the page). A part is closed every `segmentBytes`, so the page hands its bytes over to the
 * browser's blob store as it goes instead of holding the whole file; an interrupted attempt
 * is sealed, not dropped, so a resume appends new parts. Nothing is copied for the final Blob.
 */
export function memorySink(segmentBytes = 16 * 1024 * 1024): DownloadSink {
  interface Part {
    writer: WritableStreamDefaultWriter<Uint8Array>;
    blob: Promise<Blob>;
    size: number;
  }
  let closed: Promise<Blob>[] = [];
  let held = 0;
  let current: Part | undefined;

  function open(): Part {
    const pipe = new TransformStream<Uint8Array, Uint8Array>();
    const blob = new Response(pipe.readable).blob();
    blob.catch(() => {});
    current = { writer: pipe.writable.getWriter(), blob, size: 0 };
    return current;
  }
  /** Resolves once the part's bytes have all been taken in. */
  function close(part: Part): Promise<void> {
    current = undefined;
    closed.push(part.blob);
    held += part.size;
    return part.writer.close();
  }

  const sink: DownloadSink = {
    get size() {
      return held + (current?.size ?? 0);
    },
    savesItself: false,
    write(chunk) {
      const part = current ?? open();
      part.size += chunk.byteLength;
      part.writer.write(chunk).catch(() => {});
      if (part.size >= segmentBytes) return close(part);
      // Wait only when the native side is behind, not once per chunk.
      return (part.writer.desiredSize ?? 1) <= 0 ? part.writer.ready : undefined;
    },
    async seal() {
      if (current) await close(current);
      await Promise.all(closed);
    },
    reset() {
      const dropped = current;
      current = undefined;
      void dropped?.writer.abort().catch(() => {});
      closed = [];
      held = 0;
    },
    async finish(mimeType) {
      await sink.seal();
      const blob = new Blob(await Promise.all(closed), { type: mimeType });
      closed = [];
      held = 0;
      return blob;
    },
    abort() {
      sink.reset();
    },
  };
  return sink;
}
