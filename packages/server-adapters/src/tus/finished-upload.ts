import { HandlerError } from '../handler/errors';
import { isValidFileId } from '../storage/file-id';
import type { PartialInfo } from '../storage/resumable-storage';
import type { FileMetadata } from '../storage/storage';
import type { TusRuntime } from './tus-runtime';

/** A published file that arrived by tus, with what it kept of its creation. */
export type FinishedUpload = FileMetadata & Required<Pick<FileMetadata, 'tus'>>;

/**
 * The upload behind `/tus/:id` once it is finished: the published file, when tus published
 * it. A file that came by `POST /upload` is not a tus upload, so it is `null` too.
 */
export async function finishedUpload<F, R extends object>(
  rt: TusRuntime<F, R>,
  id: string,
): Promise<FinishedUpload | null> {
  if (!isValidFileId(id)) return null;
  const file = await rt.storage.stat(id);
  return file?.tus ? (file as FinishedUpload) : null;
}

/**
 * The live partial upload, or else the finished one (`finished`); the error of `liveUpload`
 * (404, 410) when it is neither.
 */
export async function liveOrFinished<F, R extends object>(
  rt: TusRuntime<F, R>,
  id: string,
  live: () => Promise<PartialInfo>,
): Promise<{ kind: 'live'; info: PartialInfo } | { kind: 'finished'; file: FinishedUpload }> {
  try {
    return { kind: 'live', info: await live() };
  } catch (error) {
    const file =
      error instanceof HandlerError && error.status === 404 ? await finishedUpload(rt, id) : null;
    if (!file) throw error;
    return { kind: 'finished', file };
  }
}

/**
 * `Upload-Concat: final;<url> <url>…` of a finished final upload, as the client sent it (a
 * file published before that was kept names its partials by their paths here).
 */
export function finalConcatHeader(file: FinishedUpload, basePath: string): string | null {
  const { parts, concat } = file.tus;
  if (concat !== undefined) return concat;
  return parts ? `final;${parts.map((part) => `${basePath}/tus/${part}`).join(' ')}` : null;
}
