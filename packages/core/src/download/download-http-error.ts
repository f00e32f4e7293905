import { serverError } from '../transport/upload-http-error';

/**
 * A download answered with a non-2xx status. `code` is the server's `{ error: { code } }`
 * when it sent one (`forbidden`, `not-found`, …), else `http-<status>`.
 */
export class DownloadHttpError extends Error {
  override readonly name = 'DownloadHttpError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Reads the error body (JSON `{ error: { code, message } }` when the server sent one). */
  static async fromResponse(response: Response): Promise<DownloadHttpError> {
    let said: { code?: string; message?: string } = {};
    try {
      said = serverError(JSON.parse(await response.text()));
    } catch {
      // Not JSON (an HTML error page, an empty body): the status says enough.
    }
    const { status, statusText } = response;
    return new DownloadHttpError(
      status,
      said.code ?? `http-${status}`,
      said.message ?? `Download failed with HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
    );
  }
}
