export interface CountingStreamOptions {
  /** Largest piece of a blob handed over at once, in bytes: the grain of progress. Defaults to 64 KiB. */
  sliceSize?: number;
  /** Called with the bytes handed over so far, as the consumer pulls them. */
  onBytes?: (sent: number) => void;
  /** Once aborted, the stream errors on the next pull instead of reading on. */
  signal?: AbortSignal;
}

/**
 * Bytes and blobs, in order, as a pull stream that reads nothing ahead: a blob is read one
 * slice at a time, only when the consumer asks, so `onBytes` counts what the network really
 * took.
 */
export function countingStream(
  parts: readonly (Uint8Array | Blob)[],
  options: CountingStreamOptions = {},
): ReadableStream<Uint8Array> {
  const sliceSize = Math.max(1, options.sliceSize ?? 64 * 1024);
  let index = 0;
  let position = 0;
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.signal?.aborted) {
          // Some fetch implementations keep draining the body after an abort; stop reading.
          index = parts.length;
          controller.error(options.signal.reason);
          return;
        }
        let bytes: Uint8Array | undefined;
        while (!bytes && index < parts.length) {
          const part = parts[index] as Uint8Array | Blob;
          if (part instanceof Uint8Array) {
            bytes = part;
            index++;
          } else if (position < part.size) {
            const end = Math.min(part.size, position + sliceSize);
            bytes = new Uint8Array(await part.slice(position, end).arrayBuffer());
            position = end;
          } else {
            index++;
            position = 0;
          }
        }
        if (!bytes) {
          controller.close();
          return;
        }
        controller.enqueue(bytes);
        sent += bytes.byteLength;
        options.onBytes?.(sent);
      },
      cancel() {
        index = parts.length;
      },
    },
    // Nothing is read ahead: each slice is read when the network asks for it.
    { highWaterMark: 0 },
  );
}
