import { HandlerError, isHandlerError } from '../../handler/errors';
import type { StoredFile } from '../../handler/handler-types';
import { toStoredFile } from '../../handler/stored-file';
import { announceUploaded } from '../../intake/judge-file';
import { servedType } from '../../intake/served-type';
import { DirectPartsError, type DirectUploadInfo } from '../../storage/direct-storage';
import { parseCompleteParts } from '../direct-request';
import type { DirectAnswer, DirectCall, DirectRuntime } from '../direct-runtime';
import { partsToComplete, verifyDirect } from '../verify-direct';

/** The answer of a completion, the first time and every time it is asked again. */
function completed(upload: DirectUploadInfo, file: StoredFile): DirectAnswer {
  return { status: 201, body: { files: [file], fields: upload.fields ?? {} } };
}

/**
 * `POST /direct/:id/complete`: the parts put together (those the client names, else those
 * the bucket lists) once every one is there with its size, the stored bytes verified, and
 * only then the metadata written, so that `GET /:id` serves the file, and `onUploaded` told.
 * A refused file is removed from the bucket; an upload not finished yet (a PUT not done, a
 * part missing) is kept to complete again. Asked again once it succeeded (the routes hold
 * the upload's lock, so a second request at the same moment waits for the first), it answers
 * the same, without a second publish or `onUploaded`, while the file exists and until the
 * upload's expiry. The work takes one of the handler's upload slots.
 */
export async function completeDirect<F, R extends object>(
  rt: DirectRuntime<F, R>,
  call: DirectCall<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  if (upload.completed) {
    const meta = await rt.storage.stat(upload.id);
    if (meta) return completed(upload, toStoredFile(meta, call.basePath));
    // Deleted since (or removed by onUploaded): the record goes too.
    await rt.store.discard(upload);
    throw new HandlerError('not-found', 'No such upload');
  }
  return rt.slots.hold(() => complete(rt, call, upload));
}

async function complete<F, R extends object>(
  rt: DirectRuntime<F, R>,
  call: DirectCall<F, R>,
  upload: DirectUploadInfo,
): Promise<DirectAnswer> {
  const named = parseCompleteParts(await rt.readBody(call), upload.partCount);
  const parts =
    upload.kind === 'multipart' && !upload.assembled
      ? partsToComplete(upload, await rt.partsOf(upload), named)
      : [];
  let stored: number | null;
  try {
    stored = await rt.store.assemble(upload, parts);
  } catch (error) {
    if (error instanceof DirectPartsError) {
      throw new HandlerError('malformed-request', error.message, { cause: error });
    }
    throw error;
  }
  if (stored === null && upload.kind === 'multipart') {
    await rt.store.discard(upload);
    throw new HandlerError('not-found', 'The upload is gone');
  }
  if (stored === null) {
    throw new HandlerError('malformed-request', 'The file has not been uploaded yet');
  }
  let proven: string | null;
  try {
    proven = await verifyDirect(rt, call, upload, stored);
  } catch (error) {
    // A refusal is final: nothing of the file stays. A failing bucket may do better later.
    if (isHandlerError(error)) await rt.store.discard(upload);
    throw error;
  }
  const meta = await rt.store.publish(upload, stored, {
    name: upload.name,
    // The declared type is the client's word: served as it only when the bytes or the
    // extension agree.
    type: servedType(upload.name, upload.type, proven),
    // Verified when declared; the server never read the bytes otherwise.
    sha256: upload.sha256 ?? '',
    ...(upload.fields ? { fields: upload.fields } : {}),
    ...(upload.auth ? { auth: upload.auth } : {}),
  });
  const file = toStoredFile(meta, call.basePath);
  try {
    await announceUploaded([file], call.ctx, rt.options, rt.storage);
  } catch (error) {
    // onUploaded refused the file, which is deleted: its completed record goes with it.
    await rt.store.discard({ ...upload, completed: true });
    throw error;
  }
  return completed(upload, file);
}
