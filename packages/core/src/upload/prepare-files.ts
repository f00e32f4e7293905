import { errorFor, type Messages, thrownMessage } from '../rules/messages';
import type { FileRejection } from '../rules/rejection';

/** What the uploader's `prepare` option takes: a file in, the file to judge and send out. */
export type PrepareFile = (file: File) => File | Promise<File>;

/** A batch of files as the rules will judge them, with the relative path of each. */
export interface PreparedBatch {
  /** The files to judge and send: each as `prepare` made it, in the order given. */
  readonly files: File[];
  readonly paths: Map<File, string | undefined>;
  /** Files whose `prepare` threw (`prepare-failed`). */
  readonly rejected: FileRejection<File>[];
}

// Decoding photos holds each one whole in memory: a few at a time, not a whole folder.
const AT_ONCE = 2;

/**
 * Runs `prepare` over the files, a few at a time (each file as it is without one), and
 * keeps each relative path with the file it becomes.
 */
export async function prepareBatch(
  files: readonly File[],
  relativePaths: readonly (string | undefined)[] | undefined,
  prepare: PrepareFile | undefined,
  messages: Messages | undefined,
): Promise<PreparedBatch> {
  // By index, so the batch keeps the order given: each file as `prepare` made it, or why not.
  const made: (File | FileRejection<File>)[] = [...files];
  if (prepare) {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        const file = files[i] as File;
        try {
          made[i] = await prepare(file);
        } catch (cause) {
          const message = thrownMessage(cause, 'File could not be prepared');
          made[i] = { file, errors: [errorFor(messages, 'prepare-failed', message, file)] };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, files.length) }, worker));
  }
  const batch: PreparedBatch = { files: [], paths: new Map(), rejected: [] };
  made.forEach((result, i) => {
    // A File never has `errors`: this is a refusal.
    if ('errors' in result) {
      batch.rejected.push(result);
      return;
    }
    batch.files.push(result);
    // A loose file has no path; `paths.get` answers `undefined` for it all the same.
    const path = relativePaths?.[i];
    if (path !== undefined) batch.paths.set(result, path);
  });
  return batch;
}
