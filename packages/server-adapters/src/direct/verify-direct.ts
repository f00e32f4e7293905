import { HandlerError } from '../handler/errors';
import { FileHead } from '../intake/file-head';
import { judgeContent, judgeFile } from '../intake/judge-file';
import { sha256Of } from '../intake/sha256-of';
import { SNIFF_BYTES } from '../intake/sniff-type';
import {
  type DirectPart,
  type DirectPartRef,
  type DirectUploadInfo,
  directPartSize,
} from '../storage/direct-storage';
import type { DirectCall, DirectRuntime } from './direct-runtime';

/**
 * What the bucket really holds, judged as an upload through the server would be: its size
 * by HEAD against the declared one, its first bytes (a ranged GET) sniffed when `sniff` is
 * on, every rule and `validate` on what was found, and the declared SHA-256 against the
 * bytes read back. Resolves with the type the bytes showed (`null`: no signature, or not
 * sniffed); throws the refusal.
 */
export async function verifyDirect<F, R extends object>(
  rt: DirectRuntime<F, R>,
  call: DirectCall<F, R>,
  upload: DirectUploadInfo,
  stored: number,
): Promise<string | null> {
  if (stored !== upload.size) {
    throw new HandlerError(
      'malformed-request',
      `The stored file is ${stored} bytes, not the ${upload.size} declared`,
    );
  }
  const head =
    rt.options.sniff && stored > 0
      ? await FileHead.of(
          await rt.store.read(upload, { start: 0, end: Math.min(stored, SNIFF_BYTES) - 1 }),
        )
      : null;
  const proven = rt.options.sniff
    ? await judgeContent(head ?? new Uint8Array(), upload, rt.rules)
    : null;
  await judgeFile(
    { name: upload.name, type: proven ?? upload.type, size: stored },
    rt.rules,
    call.ctx,
  );
  if (upload.sha256 && (await sha256Of(await rt.store.read(upload))) !== upload.sha256) {
    throw new HandlerError('checksum-mismatch', 'The stored bytes do not have the declared sha256');
  }
  return proven;
}

/**
 * The parts to complete a multipart upload with: those the client named (else those the
 * bucket lists), once every part is in the bucket with its size. A part missing or of
 * another size is 400 `malformed-request` and the upload stays, so the client sends it
 * (again) and completes once more.
 */
export function partsToComplete(
  upload: DirectUploadInfo,
  listed: readonly DirectPart[],
  named: readonly DirectPartRef[] | undefined,
): DirectPartRef[] {
  const inBucket = new Map(listed.map((part) => [part.partNumber, part]));
  const missing: number[] = [];
  for (let n = 1; n <= upload.partCount; n++) {
    const part = inBucket.get(n);
    if (!part) {
      missing.push(n);
      continue;
    }
    if (part.size !== directPartSize(upload, n)) {
      throw new HandlerError(
        'malformed-request',
        `Part ${n} is ${part.size} bytes, not ${directPartSize(upload, n)}: send it again`,
      );
    }
  }
  const absent = named ? named.filter((part) => !inBucket.has(part.partNumber)) : [];
  if (missing.length > 0 || (named && named.length !== upload.partCount) || absent.length > 0) {
    const numbers = missing.length > 0 ? missing : absent.map((part) => part.partNumber);
    throw new HandlerError(
      'malformed-request',
      numbers.length > 0
        ? `Parts not uploaded yet: ${numbers.slice(0, 20).join(', ')}`
        : `Name every one of the ${upload.partCount} parts`,
    );
  }
  return named
    ? [...named]
    : listed
        .filter((part) => part.partNumber <= upload.partCount)
        .map(({ partNumber, etag }) => ({ partNumber, etag }));
}
