export type { Accept, AcceptMap, ParsedAccept } from './accept';
export { acceptAttribute, checkType, matchesAccept, parseAccept } from './accept';
export type { FileLike } from './file-like';
export type {
  MessageCode,
  MessageDetails,
  MessageMap,
  Messages,
  MessageTemplate,
} from './messages';
export { combineMessages, fillTemplate, messageFor } from './messages';
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
