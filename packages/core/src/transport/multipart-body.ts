export interface MultipartFile {
  readonly blob: Blob;
  readonly filename: string;
  readonly type: string;
}

export interface MultipartBody {
  readonly body: ReadableStream<Uint8Array>;
  /** Exact byte length, known before sending since every size is known. */
  readonly length: number;
  readonly contentType: string;
}

export interface MultipartBodyOptions {
  fields: readonly (readonly [string, string])[];
  fieldName: string;
  file: MultipartFile;
  /** Called with bytes handed over so far, as the consumer pulls them. */
  onBytes?: (sent: number) => void;
  /** Largest piece handed over at once, in bytes: the grain of progress. Defaults to 64 KiB. */
  sliceSize?: number;
  /** Defaults to a random one. */
  boundary?: string;
  /** Once aborted, the stream errors on the next pull instead of reading the file on. */
  signal?: AbortSignal;
}

/** As browsers write them (HTML's multipart/form-data encoding): quotes and newlines escaped. */
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

function randomBoundary(): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `----updown${hex}`;
}

/**
 * A multipart/form-data body written by hand as a pull stream, so that the file is read in
 * slices only as the network takes them, and "sent" counts bytes the consumer really took.
 */
export function multipartBody(options: MultipartBodyOptions): MultipartBody {
  const boundary = options.boundary ?? randomBoundary();
  const sliceSize = Math.max(1, options.sliceSize ?? 64 * 1024);
  const encoder = new TextEncoder();
  let headText = '';
  for (const [name, value] of options.fields) {
    headText += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"\r\n\r\n${value}\r\n`;
  }
  const { file } = options;
  headText +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(options.fieldName)}"; ` +
    `filename="${escapeQuoted(file.filename)}"\r\nContent-Type: ${file.type || 'application/octet-stream'}\r\n\r\n`;
  const head = encoder.encode(headText);
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const length = head.byteLength + file.blob.size + tail.byteLength;

  let phase: 'head' | 'file' | 'tail' | 'done' = 'head';
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let pending: Uint8Array | null = null;
  let sent = 0;

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const hand = (bytes: Uint8Array) => {
          controller.enqueue(bytes);
          sent += bytes.byteLength;
          options.onBytes?.(sent);
        };
        if (options.signal?.aborted) {
          // Some fetch implementations keep draining the body after an abort; stop reading.
          phase = 'done';
          await reader?.cancel().catch(() => {});
          controller.error(options.signal.reason);
          return;
        }
        while (phase !== 'done') {
          if (phase === 'head') {
            phase = 'file';
            hand(head);
            return;
          }
          if (phase === 'file') {
            if (pending && pending.byteLength > 0) {
              const piece = pending.subarray(0, sliceSize);
              pending = pending.byteLength > sliceSize ? pending.subarray(sliceSize) : null;
              hand(piece);
              return;
            }
            reader ??= file.blob.stream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
            const { done, value } = await reader.read();
            if (done) phase = 'tail';
            else pending = value;
            continue;
          }
          phase = 'done';
          hand(tail);
          controller.close();
          return;
        }
      },
      async cancel(reason) {
        phase = 'done';
        await reader?.cancel(reason).catch(() => {});
      },
    },
    // Nothing is read ahead: each slice is read when the network asks for it.
    { highWaterMark: 0 },
  );
  return { body, length, contentType: `multipart/form-data; boundary=${boundary}` };
}
