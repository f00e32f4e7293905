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
    let code = `http-${response.status}`;
    let message = `Download failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    try {
      const body: unknown = JSON.parse(await response.text());
      const error = (body as { error?: unknown } | null)?.error;
      if (error && typeof error === 'object') {
        const fields = error as { code?: unknown; message?: unknown };
        if (typeof fields.code === 'string' && fields.code) code = fields.code;
        if (typeof fields.message === 'string' && fields.message) message = fields.message;
      }
    } catch {
      // Not JSON (an HTML error page, an empty body): the status says enough.
    }
    return new DownloadHttpError(response.status, code, message);
  }
}
