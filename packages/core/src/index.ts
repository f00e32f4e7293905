export type { Accept, AcceptMap, FileLike, ParsedAccept } from './accept';
export { acceptAttribute, checkType, matchesAccept, parseAccept } from './accept';
export type {
  ProgressAggregate,
  ProgressAggregateOptions,
  ProgressEntry,
} from './aggregate-progress';
export { createProgressAggregate } from './aggregate-progress';
export { createId } from './create-id';
export { defaultTransport } from './default-transport';
export type {
  FileSystemDirectoryEntryLike,
  FileSystemDirectoryReaderLike,
  FileSystemEntryLike,
  FileSystemFileEntryLike,
  WalkedFile,
} from './directory-walker';
export { readAllEntries, walkEntry } from './directory-walker';
export type { DownloadDataOptions, DownloadOptions, DownloadUrlOptions } from './download';
export { download } from './download';
export { filenameFromContentDisposition, filenameFromUrl } from './download-filename';
export { DownloadHttpError } from './download-http-error';
export type { DownloadAction } from './download-machine';
export {
  DOWNLOAD_TRANSITIONS,
  downloadReducer,
  INITIAL_DOWNLOADER_STATE,
  nextDownloadStatus,
} from './download-machine';
export { createDownloader } from './downloader';
export type {
  DownloadError,
  Downloader,
  DownloaderListener,
  DownloaderOptions,
  DownloaderState,
  DownloadProgress,
  DownloadStatus,
  StartOptions,
} from './downloader-types';
export type {
  DragDataLike,
  DragItemLike,
  DragVerdict,
  DragVerdictOptions,
} from './drag-verdict';
export { dragHasFiles, dragVerdict } from './drag-verdict';
export { createDropzone } from './dropzone';
export type {
  Dropzone,
  DropzoneEvent,
  DropzoneHandler,
  DropzoneInputAttributes,
  DropzoneInputHandlers,
  DropzoneOptions,
  DropzoneRootAttributes,
  DropzoneRootHandlers,
} from './dropzone-types';
export type { FetchTransportOptions } from './fetch-transport';
export { fetchTransport } from './fetch-transport';
export type {
  FileEventLike,
  FileInputLike,
  PickedFiles,
  TransferItemLike,
  TransferLike,
} from './files-from-event';
export { filesFromEvent, filesFromInput, filesFromTransfer } from './files-from-event';
export { formatBytes } from './format-bytes';
export type {
  DownloadBindingOptions,
  DownloadCommands,
  ReadableStore,
  UploadBindingOptions,
  UploadCommands,
} from './framework-bindings';
export { prepareDownload, splitBindingOptions, uploadCommands } from './framework-bindings';
export type { HttpTransportOptions } from './http-transport-options';
export { extensionForMime, withExtension } from './mime-extension';
export type { MultipartBody, MultipartBodyOptions, MultipartFile } from './multipart-body';
export { multipartBody } from './multipart-body';
export type { CheckResult, FileRejection, RejectionCode, RejectionError } from './rejection';
export { fail, PASS } from './rejection';
export type { Rules, Selection, ValidateResult } from './rules';
export {
  checkFile,
  checkSize,
  defineRules,
  selectFiles,
  tooManyFilesError,
  validateFile,
} from './rules';
export type { SaveBlobOptions, SaveWindow } from './save-blob';
export { DEFAULT_REVOKE_DELAY_MS, saveBlob } from './save-blob';
export type { DownloadSink, PickerWindow } from './save-stream';
export { canStreamToDisk, openSaveStream } from './save-stream';
export type { Scheduler, Store, StoreOptions } from './store';
export { createStore, defaultScheduler } from './store';
export type { DownloadData, ImageSource, ToBlobOptions } from './to-blob';
export { toBlob } from './to-blob';
export type { AbortReason, Transport, TransportContext, TransportItem } from './transport';
export type { TusChecksumAlgorithm } from './tus-checksum';
export { tusChecksum } from './tus-checksum';
export { tusFingerprint } from './tus-fingerprint';
export { encodeTusMetadata } from './tus-metadata';
export type { TusTransportOptions, TusUploadResult } from './tus-transport';
export { tusTransport } from './tus-transport';
export type { LocalStorageUrlStoreOptions, StorageLike, TusUrlStore } from './tus-url-store';
export { defaultUrlStore, localStorageUrlStore, memoryUrlStore } from './tus-url-store';
export { isRetryableError, UploadHttpError } from './upload-http-error';
export type { Progress, UploadError, UploadItem, UploadStatus } from './upload-item';
export type { UploadEvent } from './upload-machine';
export {
  canTransition,
  isSettled,
  transition,
  UPLOAD_EVENTS,
  UPLOAD_STATUSES,
  UPLOAD_TRANSITIONS,
} from './upload-machine';
export type { UploaderEnvironment } from './uploader';
export { createUploader, defaultRetryDelay } from './uploader';
export type {
  AddResult,
  AggregateProgress,
  DragState,
  Listener,
  RetryOptions,
  Uploader,
  UploaderOptions,
  UploaderState,
  UploaderStatus,
} from './uploader-types';
export type { XhrTransportOptions } from './xhr-transport';
export { xhrTransport } from './xhr-transport';
