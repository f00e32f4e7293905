import { type CountingStreamOptions, countingStream } from './counting-stream';

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

/** The parts of the form, and how its counting stream is read (`sliceSize`, `onBytes`, `signal`). */
export interface MultipartBodyOptions extends CountingStreamOptions {
  fields: readonly (readonly [string, string])[];
  fieldName: string;
  file: MultipartFile;
  /** Defaults to a random one. */
  boundary?: string;
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
 * A multipart/form-data body written by hand as a counting pull stream, so that the file is
 * read in slices only as the network takes them, and "sent" counts bytes the consumer really
 * took.
 */
export function multipartBody(options: MultipartBodyOptions): MultipartBody {
  const boundary = options.boundary ?? randomBoundary();
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

  const body = countingStream([head, file.blob, tail], options);
  return { body, length, contentType: `multipart/form-data; boundary=${boundary}` };
}
