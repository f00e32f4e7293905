import type {
  MutationFunctionContext,
  QueryClient,
  QueryKey,
  UseMutationOptions,
} from '@tanstack/react-query';
import {
  createUploader,
  type Progress,
  type Uploader,
  type UploaderOptions,
  type UploadItem,
} from '@updown/core';
import { batchProgress } from './batch-progress';
import { UploadMutationError } from './upload-mutation-error';

/** What `mutate` takes: the files to upload (a `FileList`, an array, any iterable). */
export type UploadVariables = Iterable<File> | ArrayLike<File>;

type BaseMutationOptions<R> = Omit<
  UseMutationOptions<readonly UploadItem<R>[], UploadMutationError<R>, UploadVariables>,
  'mutationFn'
>;

export interface UploadMutationOptionsInput<R = unknown> extends BaseMutationOptions<R> {
  /**
   * The uploader to add the files to, e.g. `useUpload().uploader`, so its state (rows,
   * progress, cancel) shows the mutation's files. Defaults to a fresh uploader per call,
   * made from `options` and destroyed when the call settles.
   */
  uploader?: Uploader<R>;
  /** Options of the uploader made per call when `uploader` is not given. */
  options?: UploaderOptions<R>;
  /** Query keys invalidated (and awaited) after every file of a call succeeded. */
  invalidateKeys?: readonly QueryKey[];
  /** Progress of this call's files, byte-weighted, at most once per notification. */
  onProgress?: (progress: Progress, items: readonly UploadItem<R>[]) => void;
  /**
   * Client for `invalidateKeys`, for older v5 releases whose callbacks do not receive one.
   * Defaults to the mutation's own client (`context.client`).
   */
  queryClient?: QueryClient;
}

async function uploadBatch<R>(
  uploader: Uploader<R>,
  files: UploadVariables,
  onProgress: UploadMutationOptionsInput<R>['onProgress'],
): Promise<readonly UploadItem<R>[]> {
  const { accepted, rejected } = await uploader.add(files);
  if (rejected.length > 0) {
    for (const item of accepted) uploader.remove(item.id);
    throw new UploadMutationError<R>([], rejected);
  }
  const ids = new Set(accepted.map((item) => item.id));
  const tell = (items: readonly UploadItem<R>[]) => {
    const mine = items.filter((item) => ids.has(item.id));
    onProgress?.(batchProgress(mine), mine);
  };
  const unsubscribe = onProgress ? uploader.subscribe((state) => tell(state.items)) : undefined;
  try {
    const settled = await uploader.upload([...ids]);
    // Listeners are told at most once a frame, so the settling notification may still be
    // pending here: tell the final figures now rather than lose them to the unsubscribe.
    tell(settled);
    if (settled.some((item) => item.status !== 'success')) {
      throw new UploadMutationError<R>(settled, []);
    }
    return settled;
  } finally {
    unsubscribe?.();
  }
}

/**
 * Options for `useMutation` that upload the files passed to `mutate`, resolve with the
 * settled items, reject with an `UploadMutationError` when a file is refused or fails, and
 * invalidate `invalidateKeys` after success. Every other `useMutation` option passes through;
 * your `onSuccess` runs after the invalidation.
 *
 * @example
 * ```tsx
 * const upload = useUpload({ endpoint: '/api/files/upload' });
 * const mutation = useMutation(
 *   uploadMutationOptions({ uploader: upload.uploader, invalidateKeys: [['files']] }),
 * );
 * <input type="file" multiple onChange={(e) => mutation.mutate(e.currentTarget.files ?? [])} />
 * ```
 */
export function uploadMutationOptions<R = unknown>(
  input: UploadMutationOptionsInput<R> = {},
): UseMutationOptions<readonly UploadItem<R>[], UploadMutationError<R>, UploadVariables> {
  const { uploader, options, invalidateKeys, onProgress, queryClient, onSuccess, ...rest } = input;
  return {
    ...rest,
    mutationFn: async (files) => {
      if (uploader) return uploadBatch(uploader, files, onProgress);
      const own = createUploader<R>({ ...options, autoUpload: false });
      try {
        return await uploadBatch(own, files, onProgress);
      } finally {
        own.destroy();
      }
    },
    onSuccess: async (data, variables, onMutateResult, context?: MutationFunctionContext) => {
      const client = context?.client ?? queryClient;
      if (invalidateKeys && invalidateKeys.length > 0) {
        if (client) {
          await Promise.all(
            invalidateKeys.map((queryKey) => client.invalidateQueries({ queryKey })),
          );
        } else if (process.env.NODE_ENV !== 'production') {
          console.warn(
            '[updown] uploadMutationOptions: invalidateKeys needs a QueryClient; pass `queryClient` (this @tanstack/react-query gives callbacks no `context.client`).',
          );
        }
      }
      return onSuccess?.(data, variables, onMutateResult, context as MutationFunctionContext);
    },
  };
}
