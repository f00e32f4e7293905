export { createUploadHandler } from './create-upload-handler';
export type { DiskStorageOptions } from './disk-storage';
export { diskStorage } from './disk-storage';
export type { UploadErrorCode } from './errors';
export { isUploadError, sendError, statusForCode, toUploadError, UploadError } from './errors';
export { createFileId, isValidFileId } from './file-id';
export type {
  HandlerContext,
  HandlerOptions,
  Operation,
  StoredFile,
  UploadHandler,
  UploadLimits,
} from './handler-types';
export type { ByteRange, CommitMetadata, FileMetadata, Storage, WriteSink } from './storage';
