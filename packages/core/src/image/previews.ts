import type { UploadItem } from '../upload/upload-item';
import { canPreview, createPreview, type Preview, type PreviewOptions } from './preview';

/** The uploader, or anything that reads like one. */
export interface PreviewSource {
  getState(): { readonly items: readonly Pick<UploadItem, 'id' | 'file'>[] };
  subscribe(listener: () => void): () => void;
}

/** What `createPreviews` takes from its surroundings; tests pass their own. */
export interface PreviewsEnvironment {
  /** Defaults to `createPreview`. */
  createPreview?: (file: Blob, options: PreviewOptions) => Promise<Preview | null>;
}

export interface Previews {
  /** The ready thumbnails by item id; a new map whenever one is added or released. */
  getState(): ReadonlyMap<string, Preview>;
  subscribe(listener: (previews: ReadonlyMap<string, Preview>) => void): () => void;
  /** Stops following the uploader and releases every thumbnail. Call it with `uploader.destroy()`. */
  destroy(): void;
}

/**
 * A thumbnail for every image and video item of an uploader, made as items arrive, released
 * (its object URL revoked) when the item is removed, and all released on `destroy()`. For
 * vanilla code; React and Solid rows use `usePreview(item)`.
 *
 * @example
 * const previews = createPreviews(uploader, { maxSize: 120 });
 * previews.subscribe((map) => render(uploader.getState().items, map));
 * // on teardown
 * previews.destroy();
 * uploader.destroy();
 */
export function createPreviews(
  source: PreviewSource,
  options: Omit<PreviewOptions, 'signal'> = {},
  environment: PreviewsEnvironment = {},
): Previews {
  const make = environment.createPreview ?? createPreview;
  let ready: ReadonlyMap<string, Preview> = new Map();
  const pending = new Map<string, AbortController>();
  // Items that have no thumbnail (not an image or video, or undecodable): not tried again.
  const without = new Set<string>();
  const listeners = new Set<(previews: ReadonlyMap<string, Preview>) => void>();
  let destroyed = false;

  function publish(next: Map<string, Preview>): void {
    ready = next;
    for (const listener of Array.from(listeners)) listener(ready);
  }

  function sync(): void {
    if (destroyed) return;
    const items = source.getState().items;
    const present = new Set<string>();
    for (const item of items) {
      present.add(item.id);
      if (ready.has(item.id) || pending.has(item.id) || without.has(item.id)) continue;
      if (!canPreview(item.file.type)) {
        without.add(item.id);
        continue;
      }
      const controller = new AbortController();
      pending.set(item.id, controller);
      void make(item.file, { ...options, signal: controller.signal }).then((preview) => {
        if (pending.get(item.id) !== controller) {
          preview?.release();
          return;
        }
        pending.delete(item.id);
        if (!preview) {
          without.add(item.id);
          return;
        }
        publish(new Map(ready).set(item.id, preview));
      });
    }
    for (const id of without) if (!present.has(id)) without.delete(id);
    for (const [id, controller] of pending) {
      if (present.has(id)) continue;
      controller.abort();
      pending.delete(id);
    }
    let next: Map<string, Preview> | undefined;
    for (const [id, preview] of ready) {
      if (present.has(id)) continue;
      preview.release();
      next ??= new Map(ready);
      next.delete(id);
    }
    if (next) publish(next);
  }

  const unsubscribe = source.subscribe(sync);
  sync();

  return {
    getState: () => ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      unsubscribe();
      for (const controller of pending.values()) controller.abort();
      pending.clear();
      for (const preview of ready.values()) preview.release();
      ready = new Map();
      listeners.clear();
    },
  };
}
