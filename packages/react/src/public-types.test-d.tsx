// Type-level tests of the public API, checked by `tsc` in `npm run typecheck` (a wrong
// assertion fails the build). Nothing here runs: the components are never rendered.
import type {
  DownloadError,
  DownloaderState,
  DownloadStatus,
  FileRejection,
  Uploader,
  UploaderState,
  UploadItem,
} from '@updown/core';
import type { ReadableStore } from '@updown/core/bindings';
import { expectTypeOf } from 'vitest';
import {
  type RootProps,
  shallowEqual,
  type UseUploadResult,
  useDownload,
  useSelector,
  useUpload,
} from './index';
import { type UploadVariables, uploadMutationOptions } from './query';

declare const dlStore: ReadableStore<DownloaderState>;

interface Answer {
  files: { id: string; name: string }[];
}

export function TypedUpload() {
  const up = useUpload<Answer>({ endpoint: '/api/files/upload', rules: { accept: 'image/*' } });
  expectTypeOf(up).toEqualTypeOf<UseUploadResult<Answer>>();
  expectTypeOf(up.items).toEqualTypeOf<readonly UploadItem<Answer>[]>();
  expectTypeOf(up.items[0]!.response).toEqualTypeOf<Answer | undefined>();
  expectTypeOf(up.rejected).toEqualTypeOf<readonly FileRejection[]>();
  expectTypeOf(up.uploader).toEqualTypeOf<Uploader<Answer>>();
  expectTypeOf(up.upload).returns.resolves.toEqualTypeOf<readonly UploadItem<Answer>[]>();
  expectTypeOf(up.progress.percent).toEqualTypeOf<number>();
  expectTypeOf(up.progress.etaSeconds).toEqualTypeOf<number | null>();

  const root = up.getRootProps<HTMLDivElement>({ className: 'zone', 'data-kind': 'photos' });
  expectTypeOf(root).toEqualTypeOf<RootProps<HTMLDivElement>>();
  expectTypeOf(root.ref).parameter(0).toEqualTypeOf<HTMLDivElement | null>();
  // @ts-expect-error: an attribute the element does not have
  up.getRootProps({ notAnAttribute: true });
  // @ts-expect-error: the input's props are an input's
  up.getInputProps({ href: '/not-an-input-attribute' });
  // @ts-expect-error: ids, not items
  up.cancel(up.items[0]);

  const status = useSelector(up.uploader, (state) => state.items[0]?.status);
  expectTypeOf(status).toEqualTypeOf<UploadItem['status'] | undefined>();
  expectTypeOf(useSelector(up.uploader)).toEqualTypeOf<UploaderState<Answer>>();
  const ids = useSelector(up.uploader, (s) => s.items.map((i) => i.id), { equal: shallowEqual });
  expectTypeOf(ids).toEqualTypeOf<string[]>();
  // @ts-expect-error: `equal` compares selections, not states
  useSelector(up.uploader, (s) => s.status, { equal: (a: UploaderState, b) => a === b });
  expectTypeOf(useSelector(dlStore).status).toEqualTypeOf<DownloadStatus>();

  return <div {...root} />;
}

export function TypedDownload() {
  const dl = useDownload({ save: false });
  expectTypeOf(dl.download).returns.resolves.toEqualTypeOf<Blob | undefined>();
  expectTypeOf(dl.error).toEqualTypeOf<DownloadError | undefined>();
  expectTypeOf(dl.progress.total).toEqualTypeOf<number | null>();
  void dl.download({ data: { any: 'json' }, filename: 'report.json' });
  void dl.download({ url: '/files/a', filename: 'a.bin' });
  // @ts-expect-error: a download is a URL or data
  void dl.download({ filename: 'nothing.bin' });
  return null;
}

export function typedMutation() {
  const options = uploadMutationOptions<Answer>({
    options: { endpoint: '/api/files/upload' },
    invalidateKeys: [['files']],
  });
  expectTypeOf(options.mutationFn).not.toBeAny();
  expectTypeOf(options.mutationFn).parameter(0).toEqualTypeOf<UploadVariables>();
  expectTypeOf<Awaited<ReturnType<NonNullable<typeof options.mutationFn>>>>().toEqualTypeOf<
    readonly UploadItem<Answer>[]
  >();
  return options;
}
