/** What a transport is told about the item it sends. */
export interface TransportItem {
  readonly id: string;
  readonly file: Blob & { readonly name?: string };
  readonly name: string;
  readonly size: number;
  readonly type: string;
  /** Folder path of a dropped directory's file (`photos/2024/a.jpg`), when there was one. */
  readonly relativePath?: string;
  /** Attempt number, starting at 1. */
  readonly attempt: number;
}

/**
 * Why the uploader aborted a transport's signal (`signal.reason`). A resumable transport
 * keeps its server-side upload on `'pause'` and `'destroy'`, and terminates it on `'cancel'`
 * and `'remove'`.
 */
export type AbortReason = 'pause' | 'cancel' | 'remove' | 'destroy';

export interface TransportContext {
  /** Aborted on cancel, pause, remove and destroy, with an `AbortReason` as its reason. */
  readonly signal: AbortSignal;
  /** Call with bytes sent so far and the total; cheap to call often. */
  onProgress(loaded: number, total: number): void;
  /** Fields sent beside the file (`metadata` option). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Sends one item and resolves with the server's answer, which becomes `item.response`.
 * Rejects with an `UploadHttpError` (or any error) when it fails, and with an `AbortError`
 * `DOMException` when its signal is aborted. Pause aborts the call and resume calls it again,
 * so a resumable transport must find its own offset.
 */
export interface Transport<R = unknown> {
  (item: TransportItem, context: TransportContext): Promise<R>;
  /**
   * `true` when the transport retries failed requests by itself (`tusTransport` does, by its
   * `retryDelays`): the uploader then calls it once per start, resume or `retry()`, and does
   * not retry it again. Unset on a plain function: the uploader retries it by its `retry` option.
   */
  readonly retriesItself?: boolean;
}
