import type { AuthData, CommitMetadata } from '../storage/storage';

/**
 * What a received file is committed with: its name, served type and hash, the request's text
 * fields and what `authorize` returned. Built here alone, so the metadata a sink was told at
 * the file's end and the one it commits with compare equal when nothing changed.
 */
export function commitMetadata(
  file: { name: string; servedType: string; sha256: string },
  fields: Record<string, string>,
  auth: AuthData | undefined,
): CommitMetadata {
  const hasFields = Object.keys(fields).length > 0;
  return {
    name: file.name,
    type: file.servedType,
    sha256: file.sha256,
    ...(hasFields ? { fields: { ...fields } } : {}),
    ...(auth ? { auth } : {}),
  };
}
