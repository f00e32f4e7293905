/**
 * Anything with a current state and change notifications: an `Uploader`, a downloader, or a
 * store of your own. Structural on purpose, as TanStack Store's adapters are.
 */
export interface ReadableStore<S> {
  getState(): S;
  subscribe(listener: (state: S) => void): () => void;
}
