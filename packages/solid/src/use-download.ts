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
} from '@updown/core/bindings';
import { onCleanup, untrack } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { isServer } from 'solid-js/web';
import { access, type MaybeAccessor } from './access';
import { clonePlain } from './clone-plain';

export interface UseDownloadOptions extends DownloadBindingOptions {}

export interface UseDownloadResult extends DownloadCommands {
  /** Reactive: read them inside JSX or an effect; do not destructure. */
  readonly status: DownloadStatus;
  readonly progress: DownloadProgress;
  readonly error: DownloadError | undefined;
  /** The whole downloader state as a Solid store. */
  readonly state: DownloaderState;
}

const IDLE = INITIAL_DOWNLOADER_STATE;

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
  const [state, setState] = createStore<DownloaderState>(clonePlain(IDLE));
  let active: Downloader | null = null;
  let unsubscribe = () => {};

  const mirror = (next: DownloaderState) => setState(reconcile(clonePlain(next)));

  const download = async (
    args: DownloaderOptions | DownloadDataOptions,
  ): Promise<Blob | undefined> => {
    active?.cancel();
    unsubscribe();
    const { downloader: next, start } = prepareDownload(
      args,
      untrack(() => access(options)),
    );
    active = next;
    if (!isServer) unsubscribe = next.subscribe(mirror);
    mirror(next.getState());
    return start();
  };

  onCleanup(() => {
    active?.cancel();
    unsubscribe();
  });

  return {
    download,
    cancel: () => active?.cancel(),
    get status() {
      return state.status;
    },
    get progress() {
      return state.progress;
    },
    get error() {
      return state.error;
    },
    state,
  };
}

/** Alias of `useDownload`, named as Solid primitives usually are. */
export const createDownload = useDownload;
