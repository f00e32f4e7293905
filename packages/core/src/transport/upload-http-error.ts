/**
 * An upload that got a non-2xx answer, or no answer at all. `status` is the HTTP status, `0`
 * when the request never got one (network error). `code` is the server's
 * `{ error: { code } }` when it sent one (`file-too-large`, …), `network-error` when there
 * was no answer, else `http-<status>`.
 */
export class UploadHttpError extends Error {
  override readonly name = 'UploadHttpError';
  readonly status: number;
  readonly code: string;
  /** The parsed answer body (JSON when it was JSON, else text), when there was one. */
  readonly body: unknown;

  constructor(status: number, code: string, message: string, body?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }

  /** No answer came: offline, DNS, connection reset, CORS refusal. Worth retrying. */
  static network(message = 'The upload could not reach the server'): UploadHttpError {
    return new UploadHttpError(0, 'network-error', message);
  }

  /** From a status and the answer's text; reads `{ error: { code, message } }` when present. */
  static fromAnswer(status: number, statusText: string, text: string): UploadHttpError {
    const body = parseAnswer(text);
    const said = serverError(body);
    return new UploadHttpError(
      status,
      said.code ?? `http-${status}`,
      said.message ?? `Upload failed with HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
      body,
    );
  }
}

/** JSON when the text is JSON, the text itself otherwise, `undefined` when empty. */
export function parseAnswer(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The non-empty `code` and `message` of an error answer's `{ error: { code, message } }`. */
export function serverError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' && code ? { code } : {}),
    ...(typeof message === 'string' && message ? { message } : {}),
  };
}

/** Network errors and 5xx answers may pass on a later try; 4xx answers will not. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof UploadHttpError) return error.status === 0 || error.status >= 500;
  // fetch rejects with a TypeError when the request never got an answer.
  return error instanceof TypeError;
}
