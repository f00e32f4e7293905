export type { Accept, AcceptMap, FileLike, ParsedAccept } from './accept';
export { acceptAttribute, checkType, matchesAccept, parseAccept } from './accept';
export type { DownloadDataOptions, DownloadOptions, DownloadUrlOptions } from './download';
export { download } from './download';
export { filenameFromContentDisposition, filenameFromUrl } from './download-filename';
export { DownloadHttpError } from './download-http-error';
export type { DownloadAction } from './download-machine';
export { DOWNLOAD_TRANSITIONS, downloadReducer, nextDownloadStatus } from './download-machine';
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
export { extensionForMime, withExtension } from './mime-extension';
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
export type { DownloadData, ImageSource, ToBlobOptions } from './to-blob';
export { toBlob } from './to-blob';
