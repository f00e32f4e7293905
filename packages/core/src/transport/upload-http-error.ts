import { answerError, HttpError, parseAnswer } from '../shared/http-error';

/**
 * An upload that got a non-2xx answer, or no answer at all. `status` is the HTTP status, `0`
 * when the request never got one (network error). `code` is the server's
 * `{ error: { code } }` when it sent one (`file-too-large`, …), `network-error` when there
 * was no answer, else `http-<status>`.
 */
export class UploadHttpError extends HttpError {
  override readonly name = 'UploadHttpError';
  /** The parsed answer body (JSON when it was JSON, else text), when there was one. */
  declare readonly body: unknown;

  constructor(status: number, code: string, message: string, body?: unknown) {
    super(status, code, message);
    this.body = body;
  }

  /** No answer came: offline, DNS, connection reset, CORS refusal. Worth retrying. */
  static network(message = 'The upload could not reach the server'): UploadHttpError {
    return new UploadHttpError(0, 'network-error', message);
  }

  /** From a status and the answer's text; reads `{ error: { code, message } }` when present. */
  static fromAnswer(status: number, statusText: string, text: string): UploadHttpError {
    const body = parseAnswer(text);
    const { code, message } = answerError('Upload', status, statusText, body);
    return new UploadHttpError(status, code, message, body);
  }
}

/** Network errors and 5xx answers may pass on a later try; 4xx answers will not. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof UploadHttpError) return error.status === 0 || error.status >= 500;
  // fetch rejects with a TypeError when the request never got an answer.
  return error instanceof TypeError;
}
