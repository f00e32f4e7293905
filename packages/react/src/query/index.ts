export { UploadMutationError } from './upload-mutation-error';
export type { UploadMutationOptionsInput, UploadVariables } from './upload-mutation-options';
export { uploadMutationOptions } from './upload-mutation-options';
