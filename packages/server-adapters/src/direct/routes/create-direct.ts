import { judgeFile, tooLarge } from '../../intake/judge-file';
import { sanitizeFilename } from '../../intake/sanitize-filename';
import { servedType } from '../../intake/served-type';
import type { DirectUploadInfo } from '../../storage/direct-storage';
import { createFileId } from '../../storage/file-id';
import { MAX_PARTS, parseDeclaration } from '../direct-request';
import type { DirectAnswer, DirectCall, DirectRuntime } from '../direct-runtime';

const MIB = 1024 * 1024;

/** The storage's part size, or larger for a file that would need more than S3's 10 000 parts. */
function partSizeFor(size: number, partSize: number): number {
  return Math.max(partSize, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

/**
 * `POST /direct`: a new direct upload, judged on what the client declares (the limits, the
 * type and size rules, `validate`) before anything is signed or stored. A file of one part
 * gets a presigned PUT; a larger one a multipart upload whose part URLs come on demand.
 */
export async function createDirect<F, R extends object>(
  rt: DirectRuntime<F, R>,
  call: DirectCall<F, R>,
): Promise<DirectAnswer> {
  const declared = parseDeclaration(await rt.readBody(call), rt.limits);
  const name = sanitizeFilename(declared.name);
  const { size, type } = declared;
  if (size > rt.limits.fileSize) throw tooLarge(rt.limits.fileSize);
  await judgeFile({ name, type, size }, rt.rules, call.ctx);
  rt.maybeSweep();

  const kind = size <= rt.store.partSize ? 'put' : 'multipart';
  const partSize = kind === 'put' ? size : partSizeFor(size, rt.store.partSize);
  const upload: DirectUploadInfo = {
    id: createFileId(),
    kind,
    name,
    type,
    size,
    ...(declared.sha256 ? { sha256: declared.sha256 } : {}),
    ...(declared.fields ? { fields: declared.fields } : {}),
    ...(call.auth ? { auth: call.auth } : {}),
    partSize,
    partCount: kind === 'put' ? 1 : Math.ceil(size / partSize),
    createdAt: rt.now(),
    expiresAt: rt.expiresAfterNow(),
  };
  call.ctx.id = upload.id;
  await rt.store.create(upload);
  const expiresAt = new Date(upload.expiresAt).toISOString();
  if (kind === 'multipart') {
    return {
      status: 201,
      body: { id: upload.id, kind, partSize, partCount: upload.partCount, expiresAt },
    };
  }
  // Signed with the type the file will be served as: never an active type on the bucket.
  const signed = await rt.store.signPut(
    upload,
    servedType(name, type, null),
    rt.urlSeconds(upload),
  );
  return { status: 201, body: { id: upload.id, kind, ...signed, expiresAt } };
}
