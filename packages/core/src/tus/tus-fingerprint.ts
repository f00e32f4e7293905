import type { TransportItem } from '../transport/transport';

/**
 * Names a file without reading it: name, folder path, size, type, last modification and the
 * endpoint. The same file selected again (after a reload) gets the same fingerprint.
 */
export function tusFingerprint(item: TransportItem, endpoint: string): string {
  const lastModified = (item.file as { lastModified?: number }).lastModified ?? '';
  return ['tus', item.relativePath ?? item.name, item.size, item.type, lastModified, endpoint].join(
    '::',
  );
}
