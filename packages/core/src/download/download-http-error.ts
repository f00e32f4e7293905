import { answerError, HttpError, parseAnswer } from '../shared/http-error';

/**
 * A download answered with a non-2xx status. `code` is the server's `{ error: { code } }`
 * when it sent one (`forbidden`, `not-found`, …), else `http-<status>`.
 */
export class DownloadHttpError extends HttpError {
  override readonly name = 'DownloadHttpError';

  /** Reads the error body (JSON `{ error: { code, message } }` when the server sent one). */
  static async fromResponse(response: Response): Promise<DownloadHttpError> {
    // An unreadable body (a reset mid-answer) leaves the status to say enough.
    const text = await response.text().catch(() => '');
    const { status, statusText } = response;
    const { code, message } = answerError('Download', status, statusText, parseAnswer(text));
    return new DownloadHttpError(status, code, message);
  }
}
