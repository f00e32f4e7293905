import type { FileLike } from './file-like';

/**
 * Why a file was refused. The known codes are shared by the browser and the server; a
 * custom `validate` may return codes of its own.
 */
export type RejectionCode =
  | 'file-invalid-type'
  | 'file-too-large'
  | 'file-too-small'
  | 'too-many-files'
  | 'validation-failed'
  | (string & {});

export interface RejectionError {
  code: RejectionCode;
  message: string;
}

/** A file that did not pass the rules, with every reason it failed. */
export interface FileRejection<F = FileLike> {
  file: F;
  errors: RejectionError[];
}

/** `[true, null]` when the check passes, `[false, error]` when it does not. */
export type CheckResult =
  | readonly [ok: true, error: null]
  | readonly [ok: false, error: RejectionError];

export const PASS: CheckResult = [true, null];

export function fail(code: RejectionCode, message: string): CheckResult {
  return [false, { code, message }];
}
