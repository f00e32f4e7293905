import type { FileMetadata } from '../storage/storage';
import type { StoredFile } from './handler-types';

/** What the client is told of a stored file; `url` is where `GET` serves it. */
export function toStoredFile(meta: FileMetadata, basePath: string): StoredFile {
  return {
    id: meta.id,
    name: meta.name,
    size: meta.size,
    type: meta.type,
    sha256: meta.sha256,
    url: `${basePath}/${meta.id}`,
  };
}
