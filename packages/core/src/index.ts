export type {
  Announcement,
  AnnouncementCode,
  Announcer,
  AnnouncerOptions,
  AnnouncerSource,
} from './announce/announcer';
export { createAnnouncer } from './announce/announcer';
export { download } from './download/download';
export {
  filenameFromContentDisposition,
  filenameFromUrl,
} from './download/download-filename';
export { DownloadHttpError } from './download/download-http-error';
export type {
  DownloadDataOptions,
  DownloadOptions,
  DownloadUrlOptions,
} from './download/download-options';
export { createDownloader } from './download/downloader';
export type {
  DownloadError,
  Downloader,
  DownloaderListener,
  DownloaderOptions,
  DownloaderState,
  DownloadProgress,
  DownloadStatus,
  StartOptions,
} from './download/downloader-types';
export type { SaveBlobOptions, SaveWindow } from './download/save-blob';
export { DEFAULT_REVOKE_DELAY_MS, saveBlob } from './download/save-blob';
export type { DownloadSink, PickerWindow } from './download/save-stream';
export { canStreamToDisk, openSaveStream } from './download/save-stream';
export type { DownloadData, ImageSource, ToBlobOptions } from './download/to-blob';
export { toBlob } from './download/to-blob';
export type { Preview, PreviewOptions } from './image/preview';
export { canPreview, createPreview, DEFAULT_PREVIEW_SIZE } from './image/preview';
export type { PreviewSource, Previews, PreviewsEnvironment } from './image/previews';
export { createPreviews } from './image/previews';
export type { ResizeImageOptions } from './image/resize-image';
export { resizeImage } from './image/resize-image';
export type { IdbFactoryLike } from './persist/idb';
export type { IndexedDbUrlStoreOptions } from './persist/indexeddb-url-store';
export { indexedDbUrlStore } from './persist/indexeddb-url-store';
export type {
  PersistedQueue,
  PersistedQueueOptions,
  PersistedQueueState,
  ResumableFile,
} from './persist/persisted-queue';
export { createPersistedQueue, resumeKey } from './persist/persisted-queue';
export type { Accept, AcceptMap, ParsedAccept } from './rules/accept';
export { acceptAttribute, checkType, matchesAccept, parseAccept } from './rules/accept';
export type { FileLike } from './rules/file-like';
export { formatBytes } from './rules/format-bytes';
export type {
  MessageCode,
  MessageDetails,
  MessageMap,
  Messages,
  MessageTemplate,
} from './rules/messages';
export { combineMessages, fillTemplate, messageFor } from './rules/messages';
export type { CheckResult, RejectionCode, RejectionError } from './rules/rejection';
export { fail, PASS } from './rules/rejection';
export type { Rules, Selection, ValidateResult } from './rules/rules';
export {
  checkFile,
  checkSize,
  defineRules,
  selectFiles,
  tooManyFilesError,
  validateFile,
} from './rules/rules';
export type { S3TransportOptions } from './s3/s3-transport';
export { s3Transport } from './s3/s3-transport';
export type {
  FileSystemDirectoryEntryLike,
  FileSystemDirectoryReaderLike,
  FileSystemEntryLike,
  FileSystemFileEntryLike,
} from './select/directory-walker';
export type {
  DragDataLike,
  DragItemLike,
  DragVerdict,
  DragVerdictOptions,
} from './select/drag-verdict';
export { dragHasFiles, dragVerdict } from './select/drag-verdict';
export { createDropzone } from './select/dropzone';
export type {
  Dropzone,
  DropzoneEvent,
  DropzoneHandler,
  DropzoneInputAttributes,
  DropzoneInputHandlers,
  DropzoneOptions,
  DropzoneRootAttributes,
  DropzoneRootHandlers,
} from './select/dropzone-types';
export type {
  FileEventLike,
  FileInputLike,
  PickedFiles,
  TransferItemLike,
  TransferLike,
} from './select/files-from-event';
export { filesFromEvent, filesFromInput, filesFromTransfer } from './select/files-from-event';
export type { HeaderSource } from './shared/headers';
export { extensionForMime } from './shared/mime-extension';
export type { Scheduler } from './shared/scheduler';
export { defaultTransport } from './transport/default-transport';
export type { FetchTransportOptions } from './transport/fetch-transport';
export { fetchTransport } from './transport/fetch-transport';
export type { HttpTransportOptions } from './transport/http-transport-options';
export type {
  AbortReason,
  Transport,
  TransportContext,
  TransportItem,
} from './transport/transport';
export { isRetryableError, UploadHttpError } from './transport/upload-http-error';
export type { XhrTransportOptions } from './transport/xhr-transport';
export { xhrTransport } from './transport/xhr-transport';
export type { TusChecksum, TusChecksumAlgorithm } from './tus/tus-checksum';
export { tusChecksum } from './tus/tus-checksum';
export { tusFingerprint } from './tus/tus-fingerprint';
export type { TusAnswer, TusRequest, TusSend } from './tus/tus-http';
export { tusFetch } from './tus/tus-http';
export type { TusTransportOptions, TusUploadResult } from './tus/tus-transport';
export { tusTransport } from './tus/tus-transport';
export type { LocalStorageUrlStoreOptions, StorageLike, TusUrlStore } from './tus/tus-url-store';
export { defaultUrlStore, localStorageUrlStore, memoryUrlStore } from './tus/tus-url-store';
export type { DragState } from './upload/drag-state';
export type { FileRejection } from './upload/file-rejection';
export type { PrepareFile } from './upload/prepare-files';
export type { Progress, UploadError, UploadItem, UploadStatus } from './upload/upload-item';
export { isSettled, UPLOAD_STATUSES } from './upload/upload-machine';
export type { UploaderEnvironment } from './upload/uploader';
export { createUploader, defaultRetryDelay } from './upload/uploader';
export type {
  AddResult,
  AggregateProgress,
  Listener,
  RetryOptions,
  Uploader,
  UploaderOptions,
  UploaderState,
  UploaderStatus,
} from './upload/uploader-types';
