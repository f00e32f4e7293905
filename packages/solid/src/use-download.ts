import type {
  DownloadDataOptions,
  DownloadError,
  Downloader,
  DownloaderOptions,
  DownloaderState,
  DownloadProgress,
  DownloadStatus,
} from '@updown/core';
import {
  type DownloadBindingOptions,
  type DownloadCommands,
  INITIAL_DOWNLOADER_STATE,
  prepareDownload,
  type ReadableStore,
} from '@updown/core/bindings';
import { createSignal, onCleanup, untrack } from 'solid-js';
import { access, type MaybeAccessor } from './access';
import { createStoreMirror } from './create-store-mirror';
import { forwardGetters } from './forward-getters';

export interface UseDownloadOptions extends DownloadBindingOptions {}

export interface UseDownloadResult extends DownloadCommands {
  /** Reactive: read them inside JSX or an effect; do not destructure. */
  readonly status: DownloadStatus;
  readonly progress: DownloadProgress;
  readonly error: DownloadError | undefined;
  /** The whole downloader state as a Solid store. */
  readonly state: DownloaderState;
}

/** The state before the first download: a source that never changes. */
const idle: ReadableStore<DownloaderState> = {
  getState: () => INITIAL_DOWNLOADER_STATE,
  subscribe: () => () => {},
};
const STATE_KEYS = [
  'status',
  'progress',
  'error',
] as const satisfies readonly (keyof DownloaderState)[];

/**
 * Downloads a URL with progress and cancel, as a Solid store. The running download is
 * cancelled when the owner is cleaned up. Also exported as `createDownload`.
 *
 * @example
 * ```tsx
 * function Export() {
 *   const dl = useDownload();
 *   return (
 *     <Show when={dl.status === 'downloading'} fallback={
 *       <button type="button" onClick={() => dl.download({ url: '/api/files/42' })}>Download</button>
 *     }>
 *       <button type="button" onClick={dl.cancel}>Cancel ({dl.progress.percent ?? '?'}%)</button>
 *     </Show>
 *   );
 * }
 * ```
 */
export function useDownload(options: MaybeAccessor<UseDownloadOptions> = {}): UseDownloadResult {
  const [source, setSource] = createSignal<ReadableStore<DownloaderState>>(idle);
  const state = createStoreMirror(source);
  let active: Downloader | null = null;

  const download = async (
    args: DownloaderOptions | DownloadDataOptions,
  ): Promise<Blob | undefined> => {
    active?.cancel();
    const { downloader: next, start } = prepareDownload(
      args,
      untrack(() => access(options)),
    );
    active = next;
    setSource(next);
    return start();
  };

  onCleanup(() => active?.cancel());

  return forwardGetters(
    { download, cancel: () => active?.cancel(), state },
    STATE_KEYS,
    () => state,
  );
}

/** Alias of `useDownload`, named as Solid primitives usually are. */
export const createDownload = useDownload;
