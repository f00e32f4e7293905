export type { InputProps, RootProps, UserInputProps, UserProps } from './prop-getters';
export { shallowEqual } from './shallow-equal';
export type { UseDownloadOptions, UseDownloadResult } from './use-download';
export { useDownload } from './use-download';
export type { EqualityFn, ReadableStore } from './use-store-selector';
export type { UseUploadOptions, UseUploadResult } from './use-upload';
export { useUpload } from './use-upload';
export { useUploadSelector } from './use-upload-selector';
export { useUploader } from './use-uploader';
