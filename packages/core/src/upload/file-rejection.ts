import type { FileRejection as RulesFileRejection } from '../rules/rejection';

/**
 * A file the rules refused, with every reason. The same shape as `FileRejection` of
 * `@updown/core/rules`, whose file defaults to a `FileLike`; here, in the browser entry, to a
 * `File`.
 */
export type FileRejection<F = File> = RulesFileRejection<F>;
