// Type-level tests of the public API, checked by `tsc` in `npm run typecheck` (a wrong
// assertion fails the build). Nothing here runs: the components are never rendered.
import type {
  DownloadError,
  DownloaderState,
  FileRejection,
  Uploader,
  UploaderState,
  UploadItem,
} from '@updown/core';
import { createSignal } from 'solid-js';
import { expectTypeOf } from 'vitest';
import {
  createDownload,
  createStoreMirror,
  createUpload,
  type RootProps,
  type UseUploadResult,
  useDownload,
  useUpload,
} from './index';

interface Answer {
  files: { id: string; name: string }[];
}

export function TypedUpload() {
  const [accept, setAccept] = createSignal('image/*');
  // Options may be an accessor, followed as signals change.
  const up = useUpload<Answer>(() => ({
    endpoint: '/api/files/upload',
    rules: { accept: accept() },
  }));
  setAccept('video/*');
  expectTypeOf(up).toEqualTypeOf<UseUploadResult<Answer>>();
  expectTypeOf(createUpload<Answer>).toEqualTypeOf(useUpload<Answer>);
  expectTypeOf(up.state).toEqualTypeOf<UploaderState<Answer>>();
  expectTypeOf(up.items).toEqualTypeOf<readonly UploadItem<Answer>[]>();
  expectTypeOf(up.items[0]!.response).toEqualTypeOf<Answer | undefined>();
  expectTypeOf(up.rejected).toEqualTypeOf<readonly FileRejection[]>();
  expectTypeOf(up.uploader).toEqualTypeOf<Uploader<Answer>>();
  expectTypeOf(up.upload).returns.resolves.toEqualTypeOf<readonly UploadItem<Answer>[]>();
  // A store, or an accessor of one, mirrored.
  expectTypeOf(createStoreMirror(up.uploader)).toEqualTypeOf<UploaderState<Answer>>();
  expectTypeOf(createStoreMirror(() => up.uploader)).toEqualTypeOf<UploaderState<Answer>>();

  const root = up.getRootProps<HTMLDivElement>({ class: 'zone', 'data-kind': 'photos' });
  expectTypeOf(root).toEqualTypeOf<RootProps<HTMLDivElement>>();
  // @ts-expect-error: React's name, not Solid's
  up.getRootProps({ className: 'zone' });
  // @ts-expect-error: ids, not items
  up.cancel(up.items[0]);

  return <div {...root} />;
}

export function TypedDownload() {
  const dl = useDownload({ save: false });
  expectTypeOf(createDownload).toEqualTypeOf(useDownload);
  expectTypeOf(dl.download).returns.resolves.toEqualTypeOf<Blob | undefined>();
  expectTypeOf(dl.error).toEqualTypeOf<DownloadError | undefined>();
  expectTypeOf(dl.state).toEqualTypeOf<DownloaderState>();
  void dl.download({ data: new Uint8Array(4), filename: 'bytes.bin' });
  // @ts-expect-error: a download is a URL or data
  void dl.download({ filename: 'nothing.bin' });
  return null;
}
