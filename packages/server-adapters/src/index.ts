export type { Disposition } from './content-headers';
export { createUploadHandler } from './create-upload-handler';
export type { DiskStorageOptions } from './disk-storage';
export { diskStorage, PARTIAL_DIR } from './disk-storage';
export { etagOf } from './download';
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
export type { ResolvedLimits } from './limits';
export { DEFAULT_LIMITS, resolveLimits } from './limits';
export type { MemoryStorageOptions } from './memory-storage';
export { memoryStorage } from './memory-storage';
export { sanitizeFilename } from './sanitize-filename';
export type { DownloadData, SendDownloadOptions } from './send-download';
export { sendDownload } from './send-download';
export type { ByteRange, CommitMetadata, FileMetadata, Storage, WriteSink } from './storage';
export type { DiskResumableOptions } from './tus/disk-resumable';
export { diskResumable } from './tus/disk-resumable';
export type { MemoryResumableOptions } from './tus/memory-resumable';
export { memoryResumable } from './tus/memory-resumable';
export type {
  PartialInfo,
  PartialState,
  PartialWriter,
  ResumableStorage,
} from './tus/resumable-storage';
export type { MaybeResumable, TusHandler, TusOptions } from './tus/tus-handler';
export { createTusHandler } from './tus/tus-handler';
