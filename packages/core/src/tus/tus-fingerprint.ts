import type { TransportItem } from '../transport/transport';

/**
 * Names a file without reading it: name, folder path, size, type, last modification and the
 * endpoint. The same file selected again (after a reload) gets the same fingerprint.
 * `scheme` keeps the records of different transports apart (`tusTransport`'s is `'tus'`).
 */
export function tusFingerprint(item: TransportItem, endpoint: string, scheme = 'tus'): string {
  const lastModified = (item.file as { lastModified?: number }).lastModified ?? '';
  return [
    scheme,
    item.relativePath ?? item.name,
    item.size,
    item.type,
    lastModified,
    endpoint,
  ].join('::');
}
