import { HandlerError } from '../../handler/errors';
import { judgeSize, judgeType } from '../../intake/judge-file';
import { sanitizeFilename } from '../../intake/sanitize-filename';
import { createFileId } from '../../storage/file-id';
import type { PartialState } from '../../storage/resumable-storage';
import { answer } from '../tus-answer';
import { expiresHeader } from '../tus-expiration';
import {
  fileOfMetadata,
  parseIntegerHeader,
  parseUploadConcat,
  parseUploadMetadata,
} from '../tus-protocol';
import { publishUpload } from '../tus-publish';
import { receiveBody } from '../tus-receive';
import { checksumOf, hasBody, isOffsetStream } from '../tus-request';
import type { TusCall, TusRuntime } from '../tus-runtime';
import { concatenateUploads } from './concatenate-uploads';

/** C0 and C1 control characters, DEL: never in a name or a type. */
const CONTROL = /\p{Cc}/u;
/** A MIME type is printable ASCII (RFC 6838); anything else cannot be a `Content-Type`. */
const HEADER_TYPE = /^[\u0020-\u007e]*$/;

/**
 * The name and the type end up in the download's headers: one that cannot be a header
 * (CR, LF, a control, a type outside ASCII) would make every download of the file fail,
 * so it is refused now, before a byte is stored.
 */
function checkHeaderSafe({ name, type }: { name?: string; type?: string }): void {
  if (name !== undefined && CONTROL.test(name)) {
    throw new HandlerError('malformed-request', 'The filename metadata has control characters');
  }
  if (type !== undefined && !HEADER_TYPE.test(type)) {
    throw new HandlerError('malformed-request', 'The filetype metadata is not a MIME type');
  }
}

/**
 * `POST /tus`: a new upload (creation, defer-length, a piece of a parallel upload), its
 * first bytes when the request brings them (creation-with-upload), or the final upload of a
 * concatenation.
 */
export async function createUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  call: TusCall<F, R>,
): Promise<void> {
  const { exchange, ctx, basePath } = call;
  const { rules } = rt;
  const concat = parseUploadConcat(exchange.headers['upload-concat']);
  if (concat === undefined)
    throw new HandlerError('malformed-request', 'Upload-Concat is malformed');
  const length = parseIntegerHeader(exchange.headers['upload-length']);
  const defer = exchange.headers['upload-defer-length'];
  if (length === undefined)
    throw new HandlerError('malformed-request', 'Upload-Length is malformed');
  if (defer !== undefined && defer !== '1')
    throw new HandlerError('malformed-request', 'Upload-Defer-Length must be 1');
  if (concat?.kind !== 'final' && (length === null) === (defer === undefined)) {
    throw new HandlerError(
      'malformed-request',
      'Send either Upload-Length or Upload-Defer-Length: 1',
    );
  }
  const rawMetadata = exchange.headers['upload-metadata'];
  const metadata = parseUploadMetadata(Array.isArray(rawMetadata) ? undefined : rawMetadata);
  if (!metadata || Array.isArray(rawMetadata))
    throw new HandlerError('malformed-request', 'Upload-Metadata is malformed');
  const declared = fileOfMetadata(metadata);
  checkHeaderSafe(declared);
  const name = sanitizeFilename(declared.name ?? '');
  const type = declared.type || 'application/octet-stream';
  const partial = concat?.kind === 'partial';
  // A piece of a parallel upload is not a file: type and size rules wait for the final one.
  if (!partial) judgeType({ name, type }, rules);
  if (concat?.kind === 'final') {
    await concatenateUploads(rt, call, {
      urls: concat.urls,
      concat: concat.value,
      metadata,
      name,
      type,
    });
    return;
  }
  if (length !== null) {
    rt.checkLength(length);
    if (!partial) judgeSize(length, rules);
  }
  rt.maybeSweep();

  const id = createFileId();
  const state: PartialState = {
    length,
    metadata: { ...metadata },
    name,
    type,
    createdAt: rt.now(),
    expiresAt: rt.expiresAfterNow(),
    ...(partial ? { concat: 'partial' as const } : {}),
    ...(call.auth ? { auth: call.auth } : {}),
  };
  await rt.store.createPartial(id, state);
  const location = { Location: `${basePath}/tus/${id}` };
  ctx.id = id;
  if (length === 0 && !partial) {
    // Nothing will ever be PATCHed: the empty file is complete at creation, and never expires.
    await rt.withLock(id, () => publishUpload(rt, { ...state, id, offset: 0 }, ctx, basePath));
    answer(exchange, 201, { ...location, 'Upload-Offset': 0 });
    return;
  }
  if (!isOffsetStream(exchange) || !hasBody(exchange)) {
    answer(exchange, 201, { ...location, ...expiresHeader(state.expiresAt) });
    return;
  }
  const checksum = checksumOf(exchange);
  let result: Awaited<ReturnType<typeof receiveBody>>;
  try {
    result = await rt.withLock(id, () =>
      receiveBody(rt, exchange.body, { ...state, id, offset: 0 }, checksum, ctx, basePath),
    );
  } catch (error) {
    await rt.dropPartial(id).catch(() => false);
    throw error;
  }
  if (!result) return;
  // As a PATCH answer says it: only an upload that goes on expires.
  const expiresAt = result.stored ? null : (result.expiresAt ?? null);
  answer(exchange, 201, {
    ...location,
    'Upload-Offset': result.offset,
    ...expiresHeader(expiresAt),
  });
}
