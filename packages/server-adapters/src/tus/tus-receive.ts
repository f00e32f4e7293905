import { createHash } from 'node:crypto';
import type { RequestBody } from '../exchange/exchange';
import { HandlerError } from '../handler/errors';
import type { HandlerContext, StoredFile } from '../handler/handler-types';
import { type BodyOutcome, pumpBody } from '../intake/body-pump';
import { idleTimer } from '../intake/idle-timer';
import { uploadPace } from '../intake/upload-pace';
import type { PartialInfo } from '../storage/resumable-storage';
import { type ChecksumExpectation, checksumVerifier } from './tus-checksum';
import { expiresHeader } from './tus-expiration';
import { parseIntegerHeader } from './tus-protocol';
import { publishUpload } from './tus-publish';
import type { TusRuntime } from './tus-runtime';

/** A body longer than the room left: past the declared length, or past the file size limit. */
function pastTheEnd(info: PartialInfo): HandlerError {
  return new HandlerError(
    info.length === null ? 'file-too-large' : 'request-too-large',
    'The body goes past the end of the upload',
  );
}

/** The idle timeout's answer, saying where the upload stands to resume from. */
function timedOut(
  info: PartialInfo,
  offset: number,
  why = 'The request body stopped arriving',
): HandlerError {
  return new HandlerError('request-timeout', why, {
    headers: { 'Upload-Offset': String(offset), ...expiresHeader(info.expiresAt) },
  });
}

/**
 * The receive step: appends one request body at the upload's offset. Resolves with the new
 * offset, or `null` when the client left (the bytes that came are kept, unless a checksum
 * could not be verified). Publishes when the last byte is in.
 */
export async function receiveBody<F, R extends object>(
  rt: TusRuntime<F, R>,
  req: RequestBody,
  info: PartialInfo,
  checksum: ChecksumExpectation | null,
  ctx: HandlerContext<F, R>,
  basePath: string,
): Promise<{ offset: number; stored?: StoredFile; expiresAt?: number | null } | null> {
  const { store, hashes, limits } = rt;
  const room = (info.length ?? limits.fileSize) - info.offset;
  const declared = parseIntegerHeader(req.headers['content-length']);
  if (declared === undefined)
    throw new HandlerError('malformed-request', 'Content-Length is malformed');
  if (declared !== null && declared > room) throw pastTheEnd(info);
  const running = hashes.get(info.id);
  // A piece of a parallel upload is hashed when the pieces are joined, not here.
  const fork =
    info.concat === 'partial'
      ? null
      : running && running.offset === info.offset
        ? running.hash.copy()
        : info.offset === 0
          ? createHash('sha256')
          : null;
  const verifier = checksum ? checksumVerifier(checksum) : null;
  const writer = await store.appendAt(info.id, info.offset);
  // A client that stops sending is answered 408; what came is kept, to resume from.
  const stop = new AbortController();
  const idle = idleTimer(limits.idleTimeoutMs, () => stop.abort());
  // So is one that trickles (limits.minBytesPerSecond) or never ends (maxDurationMs).
  const pace = uploadPace(limits, (error) => stop.abort(error));
  const why = () =>
    stop.signal.reason instanceof HandlerError ? stop.signal.reason.message : undefined;
  let outcome: BodyOutcome;
  try {
    outcome = await pumpBody(req, writer, {
      maxBytes: room,
      idle: {
        touch: () => idle.touch(),
        hold: () => {
          idle.hold();
          pace.hold();
        },
      },
      signal: stop.signal,
      onChunk: (chunk) => {
        pace.add(chunk.length);
        fork?.update(chunk);
        verifier?.update(chunk);
      },
    });
  } catch (error) {
    await writer.discard().catch(() => {});
    throw error;
  } finally {
    idle.stop();
    pace.stop();
  }
  const unfinished = outcome === 'cut' || outcome === 'stopped';
  if (outcome === 'too-large' || (verifier && unfinished)) {
    // Bytes a checksum was meant to vouch for, but never could: none of them is kept.
    await writer.discard();
    if (outcome === 'cut') return null;
    if (outcome === 'stopped') throw timedOut(info, info.offset, why());
    throw pastTheEnd(info);
  }
  if (verifier && !verifier.matches()) {
    await writer.discard();
    throw new HandlerError('checksum-mismatch', 'The body does not match Upload-Checksum');
  }
  const offset = await writer.close();
  if (fork) hashes.set(info.id, { hash: fork, offset });
  else hashes.delete(info.id);
  if (outcome === 'cut') return null;
  if (outcome === 'stopped') throw timedOut(info, offset, why());
  const expiresAt = rt.expiresAfterNow();
  const current: PartialInfo = { ...info, offset, expiresAt };
  if (info.length !== null && offset === info.length && info.concat !== 'partial') {
    return { offset, stored: await publishUpload(rt, current, ctx, basePath) };
  }
  if (expiresAt !== null) await store.updatePartial(info.id, { expiresAt });
  return { offset, expiresAt };
}
