import type { FileRejection, UploadItem } from '@updown/core';

/**
 * Why an upload mutation failed: files refused by the rules (then nothing was sent), or
 * items that did not end in `success`. Both lists are there for your error message.
 */
export class UploadMutationError<R = unknown> extends Error {
  override readonly name = 'UploadMutationError';
  /** Every item of the call, settled; empty when the rules refused files. */
  readonly items: readonly UploadItem<R>[];
  readonly failed: readonly UploadItem<R>[];
  readonly rejected: readonly FileRejection<File>[];

  constructor(items: readonly UploadItem<R>[], rejected: readonly FileRejection<File>[]) {
    const failed = items.filter((item) => item.status !== 'success');
    super(
      rejected.length > 0
        ? `${rejected.length} file(s) refused: ${rejected.map((r) => `${r.file.name} (${r.errors[0]?.code})`).join(', ')}`
        : `${failed.length} of ${items.length} upload(s) failed: ${failed.map((i) => `${i.name} (${i.error?.code ?? i.status})`).join(', ')}`,
    );
    this.items = items;
    this.failed = failed;
    this.rejected = rejected;
  }
}
