import type { Readable } from 'node:stream';

/**
 * A Node stream as a `Response` body, pulled chunk by chunk only as the runtime sends them
 * (nothing is buffered ahead of the client). `done` settles once the body is sent whole, or
 * the client cancelled it, or the source failed (the web stream then errors, which cuts the
 * line); the source is destroyed unless it ended.
 */
export function webResponseBody(source: Readable): {
  body: ReadableStream<Uint8Array>;
  done: Promise<void>;
  /** Errors the body mid-way: the answer began, so cutting it is the only signal left. */
  abort(): void;
} {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const chunks = source[Symbol.asyncIterator]();
  let control: ReadableStreamDefaultController<Uint8Array> | undefined;
  const stop = (error?: unknown) => {
    if (!source.readableEnded) source.destroy();
    if (error !== undefined) {
      try {
        control?.error(error);
      } catch {
        // Already closed or errored.
      }
    }
    finish();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        control = controller;
      },
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            controller.close();
            finish();
            return;
          }
          const chunk = next.value as Buffer | string;
          controller.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        } catch (error) {
          stop(error);
        }
      },
      cancel() {
        stop();
      },
    },
    // Ask for a chunk only when the runtime wants one.
    { highWaterMark: 0 },
  );
  return { body, done, abort: () => stop(new Error('The answer was cut short')) };
}
