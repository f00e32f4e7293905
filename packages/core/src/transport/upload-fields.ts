/**
 * The folder path of a dropped folder's file, as the `relativePath` field every transport
 * sends, unless the metadata names one already.
 */
export function relativePathField(
  metadata: Readonly<Record<string, string>>,
  relativePath: string | undefined,
): { relativePath?: string } {
  return relativePath && !('relativePath' in metadata) ? { relativePath } : {};
}

/** The fields sent before the file: the metadata, and the folder path of a dropped folder's file. */
export function formFields(
  metadata: Readonly<Record<string, string>>,
  relativePath: string | undefined,
): [string, string][] {
  return Object.entries({ ...metadata, ...relativePathField(metadata, relativePath) });
}
