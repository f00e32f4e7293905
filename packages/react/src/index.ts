export type { ReadableStore } from '@updown/core/bindings';
export { shallowEqual } from '@updown/core/bindings';
export type { InputProps, RootProps, UserInputProps, UserProps } from './prop-getters';
export type { UseDownloadOptions, UseDownloadResult } from './use-download';
export { useDownload } from './use-download';
export type { UseSelectorOptions } from './use-selector';
export { useSelector } from './use-selector';
export type { UseUploadOptions, UseUploadResult } from './use-upload';
export { useUpload } from './use-upload';
