export type { ReadableStore } from '@updown/core/bindings';
export type { MaybeAccessor } from './access';
export { createStoreMirror } from './create-store-mirror';
export type { InputProps, RootProps, UserInputProps, UserProps } from './prop-getters';
export { useAnnouncement } from './use-announcement';
export type { UseDownloadOptions, UseDownloadResult } from './use-download';
export { createDownload, useDownload } from './use-download';
export type { UseUploadOptions, UseUploadResult } from './use-upload';
export { createUpload, useUpload } from './use-upload';
