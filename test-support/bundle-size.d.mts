/** Frameworks the user brings: never counted. */
export declare const FRAMEWORKS: readonly string[];

/**
 * Minified and min+gzip bytes of `contents` (an ES module, imports resolved from
 * `resolveDir`), with `external` (and the frameworks) left out.
 */
export declare function bundleSize(
  contents: string,
  resolveDir: string,
  external?: readonly string[],
): Promise<{ min: number; gzip: number }>;
