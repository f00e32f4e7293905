/** The fields sent before the file: the metadata, and the folder path of a dropped folder's file. */
export function formFields(
  metadata: Readonly<Record<string, string>>,
  relativePath: string | undefined,
): [string, string][] {
  const fields = Object.entries(metadata);
  if (relativePath && !('relativePath' in metadata)) fields.push(['relativePath', relativePath]);
  return fields;
}
