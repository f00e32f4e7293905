/**
 * What `UploadHttpError` and `DownloadHttpError` share: the HTTP `status` (`0` when no answer
 * came) and a `code`, the server's `{ error: { code } }` when it sent one, else
 * `http-<status>`.
 */
export abstract class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
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
function serverError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' && code ? { code } : {}),
    ...(typeof message === 'string' && message ? { message } : {}),
  };
}

/**
 * The `code` and `message` of an error answer: the server's when its body says them, else
 * `http-<status>` and "`<what>` failed with HTTP <status> <statusText>".
 */
export function answerError(
  what: 'Upload' | 'Download',
  status: number,
  statusText: string,
  body: unknown,
): { code: string; message: string } {
  const said = serverError(body);
  return {
    code: said.code ?? `http-${status}`,
    message:
      said.message ?? `${what} failed with HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
  };
}
