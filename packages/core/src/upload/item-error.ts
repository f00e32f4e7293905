import { errorFor, type Messages, thrownMessage } from '../rules/messages';
import { UploadHttpError } from '../transport/upload-http-error';
import type { UploadError } from './upload-item';

/** What an item shows of the error its last try ended with. */
export function itemErrorOf(error: unknown): UploadError {
  if (error instanceof UploadHttpError) {
    return error.status === 0
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, status: error.status };
  }
  if (error instanceof TypeError) return { code: 'network-error', message: error.message };
  const message = thrownMessage(error, 'Upload failed');
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' && code ? code : 'upload-failed', message };
}

/** The item's error with its message replaced by `messages` (the English or server's one as default). */
export function rewordItemError(
  error: UploadError,
  messages: Messages | undefined,
  file: { name: string; size: number; type: string },
): UploadError {
  if (!messages) return error;
  const { message } = errorFor(messages, error.code, error.message, file, { status: error.status });
  return message === error.message ? error : { ...error, message };
}
