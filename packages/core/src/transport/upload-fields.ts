import type { TransportItem } from './transport';

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

/** The multipart form of one item as `FormData`: its fields, then the file under `fieldName`. */
export function uploadForm(
  item: TransportItem,
  metadata: Readonly<Record<string, string>>,
  fieldName = 'file',
): FormData {
  const form = new FormData();
  for (const [name, value] of formFields(metadata, item.relativePath)) form.append(name, value);
  form.append(fieldName, item.file, item.name);
  return form;
}
