import { AsyncResource } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import {
  Busboy,
  type BusboyFileStream,
  type BusboyHeaders,
  type BusboyInstance,
} from '@fastify/busboy';
import type { Rules } from '@updown/core/rules';
import type { RequestBody } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { HandlerContext } from '../handler/handler-types';
import type { ResolvedLimits } from '../handler/limits';
import { pumpBody } from '../intake/body-pump';
import { FileHead } from '../intake/file-head';
import { idleTimer } from '../intake/idle-timer';
import { judgeContent, judgeFile, judgeType, tooLarge } from '../intake/judge-file';
import { sanitizeFilename } from '../intake/sanitize-filename';
import { servedType } from '../intake/served-type';
import { uploadPace } from '../intake/upload-pace';
import { createFileId } from '../storage/file-id';
import type { AuthData, Storage, WriteSink } from '../storage/storage';
import { commitMetadata } from './commit-metadata';
import { decodeFormFilename } from './form-filename';
import { boundaryOf, partHeaderGuard } from './part-header-guard';

export interface IntakeOptions {
  storage: Storage;
  rules: Rules;
  limits: ResolvedLimits;
  sniff: boolean;
  /** The request's context, handed to `validate`. */
  ctx?: HandlerContext<unknown, object>;
  /** What `authorize` returned, kept with every file. */
  auth?: AuthData | undefined;
}

/** A file fully received and judged, written to a sink that is not yet committed. */
export interface ReceivedFile {
  fieldName: string;
  name: string;
  /** The type it was judged by: the sniffed one, else the declared one. */
  type: string;
  /** The type it is stored and served with (`servedType`). */
  servedType: string;
  size: number;
  sha256: string;
  sink: WriteSink;
}

export interface Intake {
  files: ReceivedFile[];
  fields: Record<string, string>;
}

/** The request ended before its body did; there is no one left to answer. */
class ClientGoneError extends HandlerError {
  constructor() {
    super('malformed-request', 'The client closed the request before it was complete');
  }
}

/**
 * Most bytes of part headers, per part: past it, 400. Busboy is given a little more, so it
 * never truncates headers that pass (it would cut them silently), and memory stays bounded.
 */
const PART_HEADER_BYTES = 16 * 1024;

/** The largest body these limits allow; a longer declared length is refused before reading. */
function maxRequestBytes(limits: ResolvedLimits): number {
  return (
    limits.files * limits.fileSize +
    limits.fields * limits.fieldSize +
    limits.parts * (PART_HEADER_BYTES + 512)
  );
}

/** The bytes `value` takes in a JSON document (escapes included). */
function jsonBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function isMultipart(contentType: string | undefined): contentType is string {
  return typeof contentType === 'string' && /^multipart\/form-data\s*(;|$)/i.test(contentType);
}

/**
 * Streams a multipart request into storage sinks, judging each file as its bytes arrive:
 * the type when its headers come, the size at each chunk (cut off at the limit), the first
 * bytes when `sniff` is on, the custom `validate` once the whole file is in. Resolves when
 * every part is in and passed; then the caller commits. Rejects at the first problem, after
 * aborting every sink of the request, with the request unpiped and paused so that the caller
 * decides how much of the rest to read.
 */
export function receiveMultipart(req: RequestBody, options: IntakeOptions): Promise<Intake> {
  const { storage, rules, limits, sniff, ctx, auth } = options;

  return new Promise<Intake>((resolve, reject) => {
    const contentType = req.headers['content-type'];
    if (!isMultipart(contentType)) {
      reject(new HandlerError('malformed-request', 'Expected a multipart/form-data body'));
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxRequestBytes(limits)) {
      reject(new HandlerError('request-too-large', 'The request body is too large'));
      return;
    }

    let busboy: BusboyInstance;
    try {
      busboy = Busboy({
        headers: req.headers as BusboyHeaders,
        // The raw name comes to sanitizeFilename, which keeps the last segment itself;
        // busboy's own basename would turn `..` into an empty name and drop the file.
        preservePath: true,
        limits: {
          fileSize: limits.fileSize,
          files: limits.files,
          fields: limits.fields,
          fieldSize: limits.fieldSize,
          parts: limits.parts,
          headerPairs: limits.headerPairs,
          headerSize: PART_HEADER_BYTES + 1024,
        },
      });
    } catch {
      reject(new HandlerError('malformed-request', 'The multipart boundary is missing or invalid'));
      return;
    }

    let settled = false;
    // One per file part, in order: the file once it is in and judged, `null` if the request
    // failed first.
    const fileWork: Promise<ReceivedFile | null>[] = [];
    const sinks: Promise<WriteSink | null>[] = [];
    const fields: Record<string, string> = Object.create(null);
    // What the fields will weigh in the metadata: their JSON, once for each file kept.
    let fieldBytes = 0;
    let fileCount = 0;
    const checkFieldsTotal = (): boolean => {
      if (fieldBytes * Math.max(1, fileCount) <= limits.fieldsTotalSize) return true;
      fail(
        new HandlerError(
          'request-too-large',
          `The text fields, kept with each of the ${fileCount || 1} files, are over ${limits.fieldsTotalSize} bytes`,
        ),
      );
      return false;
    };

    const idle = idleTimer(limits.idleTimeoutMs, () =>
      fail(new HandlerError('request-timeout', 'The request body stopped arriving')),
    );
    const guardHeaders = partHeaderGuard(boundaryOf(contentType) ?? '', PART_HEADER_BYTES, () =>
      fail(
        new HandlerError(
          'malformed-request',
          `A part's headers are longer than ${PART_HEADER_BYTES} bytes`,
        ),
      ),
    );
    const pace = uploadPace(limits, fail);
    const touch = (chunk: Buffer) => {
      if (settled) return;
      idle.touch();
      pace.add(chunk.length);
      guardHeaders(chunk);
    };
    // The request's clock keeps running while a sink catches up, as it always has: it also
    // covers the parts between files, which no file's pump sees.
    const clock = { touch: () => idle.touch(), hold: () => pace.hold() };
    const onClose = () => {
      if (!req.complete) fail(new ClientGoneError());
    };
    const onReqError = () => fail(new ClientGoneError());

    const detach = () => {
      idle.stop();
      pace.stop();
      req.off('data', touch);
      req.off('close', onClose);
      req.off('aborted', onReqError);
      req.off('error', onReqError);
      req.unpipe(busboy);
      req.pause();
    };

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      detach();
      // Busboy may still emit from what it already holds; nothing it says matters now.
      busboy.removeAllListeners();
      busboy.on('error', () => {});
      busboy.destroy();
      void Promise.all(sinks)
        .then((all) => Promise.allSettled(all.map((sink) => sink?.abort())))
        .then(() => reject(error));
    }

    busboy.on(
      'file',
      // Busboy speaks from the socket's async context; the file's work (its sink, `validate`)
      // belongs to the request's, where the app's AsyncLocalStorage holds its values.
      AsyncResource.bind(
        (
          fieldName: string,
          stream: BusboyFileStream,
          filename: string,
          _enc: string,
          mimeType: string,
        ) => {
          // Parts end in errors when the body is cut short; this listener must exist from the
          // start, since the error can come while the sink is still being opened.
          stream.on('error', () =>
            fail(new HandlerError('malformed-request', 'The multipart body ended early')),
          );
          // Busboy reports the size limit as the bytes arrive, maybe before the sink is open.
          stream.once('limit', () => fail(tooLarge(limits.fileSize)));
          if (settled || !filename) {
            // A file input left empty sends a part with an empty filename: nothing to keep.
            stream.resume();
            return;
          }
          fileCount += 1;
          if (!checkFieldsTotal()) {
            stream.resume();
            return;
          }
          const name = sanitizeFilename(decodeFormFilename(filename));
          const declaredType = mimeType || 'application/octet-stream';
          try {
            judgeType({ name, type: declaredType }, rules);
          } catch (error) {
            stream.resume();
            fail(error);
            return;
          }
          stream.pause();
          const begun = storage.begin(createFileId());
          sinks.push(begun.catch(() => null));
          const work = begun.then(async (sink): Promise<ReceivedFile | null> => {
            if (settled) return null;
            // On this thread: a worker thread measured slower here, and cost 80 MiB of RSS.
            const hash = createHash('sha256');
            let size = 0;
            let type = declaredType;
            let proven: string | null = null;
            const head = sniff ? new FileHead() : null;
            let sniffed: Promise<void> | undefined;
            const runSniff = (bytes: Uint8Array) => {
              sniffed = judgeContent(bytes, { name, type: declaredType }, rules).then((t) => {
                proven = t;
                type = t ?? declaredType;
              });
              sniffed.catch(fail);
            };
            const outcome = await pumpBody(stream, sink, {
              maxBytes: limits.fileSize,
              idle: clock,
              stopped: () => settled,
              onChunk: (chunk) => {
                size += chunk.length;
                hash.update(chunk);
                if (head && !sniffed && head.add(chunk)) runSniff(head.bytes());
              },
            });
            if (settled) return null;
            if (outcome === 'too-large' || stream.truncated) throw tooLarge(limits.fileSize);
            if (outcome === 'cut') {
              throw new HandlerError('malformed-request', 'The multipart body ended early');
            }
            if (head && !sniffed) runSniff(head.bytes());
            if (sniffed) await sniffed;
            await judgeFile({ name, size, type }, rules, ctx);
            const file: ReceivedFile = {
              fieldName,
              name,
              type,
              servedType: servedType(name, declaredType, proven),
              size,
              sha256: hash.digest('hex'),
              sink,
            };
            // Judged and all in: the sink may close it and write its metadata now, while the
            // rest of the request streams in. The fields usually come before the files (the
            // core's client sends them first); a later one only means the commit rewrites it.
            if (!settled) await sink.end?.(commitMetadata(file, fields, auth));
            return file;
          });
          work.catch(fail);
          fileWork.push(work);
        },
      ),
    );

    busboy.on(
      'field',
      (fieldName: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
        if (settled) return;
        if (nameTruncated || valueTruncated) {
          return fail(
            new HandlerError('request-too-large', `Field is longer than ${limits.fieldSize} bytes`),
          );
        }
        // A repeated name keeps its last value: only that one counts.
        const previous = fields[fieldName];
        if (previous !== undefined) fieldBytes -= jsonBytes(fieldName) + jsonBytes(previous);
        fields[fieldName] = value;
        fieldBytes += jsonBytes(fieldName) + jsonBytes(value);
        checkFieldsTotal();
      },
    );
    busboy.on('filesLimit', () =>
      fail(
        new HandlerError('too-many-files', `No more than ${limits.files} files per request`, {
          details: { maxFiles: limits.files },
        }),
      ),
    );
    busboy.on('fieldsLimit', () =>
      fail(
        new HandlerError('request-too-large', `No more than ${limits.fields} fields per request`),
      ),
    );
    busboy.on('partsLimit', () =>
      fail(new HandlerError('request-too-large', `No more than ${limits.parts} parts per request`)),
    );
    busboy.on('error', () =>
      fail(new HandlerError('malformed-request', 'The multipart body is malformed')),
    );
    busboy.on('finish', () => {
      void Promise.all(fileWork).then((files) => {
        if (settled) return;
        const received = files.filter((f): f is ReceivedFile => f !== null);
        if (received.length === 0) {
          return fail(new HandlerError('malformed-request', 'The request holds no file'));
        }
        settled = true;
        detach();
        resolve({ files: received, fields: { ...fields } });
      }, fail);
    });

    req.on('data', touch);
    req.on('close', onClose);
    req.on('aborted', onReqError);
    req.on('error', onReqError);
    req.pipe(busboy);
    // The idle clock runs from the start: a client silent from its first body byte is cut too.
    idle.touch();
  });
}
