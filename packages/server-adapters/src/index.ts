export type { Disposition } from './download/content-headers';
export { etagOf } from './download/file-headers';
export type { DownloadBody, SendDownloadOptions } from './download/send-download';
export { sendDownload } from './download/send-download';
export type { NodeRequestParts, WebRequestParts } from './exchange/exchange';
export { createUploadHandler } from './handler/create-upload-handler';
export type { HandlerErrorCode } from './handler/errors';
export {
  HandlerError,
  isHandlerError,
  sendError,
  statusForCode,
  toHandlerError,
} from './handler/errors';
export type {
  AuthorizeVerdict,
  DirectOptions,
  HandlerContext,
  HandlerContextBase,
  HandlerOptions,
  Locker,
  MountContext,
  Operation,
  Release,
  StoredFile,
  TusOptions,
  UploadHandler,
  UploadLimits,
} from './handler/handler-types';
export type { ResolvedLimits } from './handler/limits';
export { DEFAULT_LIMITS, resolveLimits } from './handler/limits';
export { sanitizeFilename } from './intake/sanitize-filename';
export type {
  DirectPart,
  DirectPartRef,
  DirectStorage,
  DirectUploadInfo,
} from './storage/direct-storage';
export { DirectPartsError } from './storage/direct-storage';
export type { DiskResumableOptions } from './storage/disk-resumable';
export { diskResumable } from './storage/disk-resumable';
export type { DiskStorageOptions } from './storage/disk-storage';
export { diskStorage, PARTIAL_DIR } from './storage/disk-storage';
export { createFileId, isValidFileId } from './storage/file-id';
export type { MemoryResumableOptions } from './storage/memory-resumable';
export { memoryResumable } from './storage/memory-resumable';
export type { MemoryStorageOptions } from './storage/memory-storage';
export { memoryStorage } from './storage/memory-storage';
export type {
  PartialInfo,
  PartialState,
  PartialWriter,
  ResumableStorage,
} from './storage/resumable-storage';
export type { S3ClientLike, S3StorageOptions } from './storage/s3-storage';
export { s3Storage } from './storage/s3-storage';
export type {
  AuthData,
  ByteRange,
  CommitMetadata,
  DownloadUrlHeaders,
  FileMetadata,
  JsonValue,
  Storage,
  WriteSink,
} from './storage/storage';
export type { RedisClientLike, RedisLockerOptions } from './tus/redis-locker';
export { redisLocker } from './tus/redis-locker';
export type { MaybeResumable, TusHandler } from './tus/tus-handler';
export { createTusHandler } from './tus/tus-handler';
