export interface DragState {
  readonly isDragActive: boolean;
  /** Every dragged item is known to pass `accept` (and the count fits). */
  readonly isDragAccept: boolean;
  /** Some dragged item is known to fail. */
  readonly isDragReject: boolean;
  /**
   * The drag carries no MIME types (some browsers and OS drags), so acceptance can't be
   * known until the drop: neither accept nor reject is claimed.
   */
  readonly isDragUnknown: boolean;
}

/** No drag over the drop zone. */
export const NO_DRAG: DragState = {
  isDragActive: false,
  isDragAccept: false,
  isDragReject: false,
  isDragUnknown: false,
};
