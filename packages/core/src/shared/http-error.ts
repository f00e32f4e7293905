/**
 * What `UploadHttpError` and `DownloadHttpError` share: the HTTP `status` (`0` when no answer
 * came) and a `code`, the server's `{ error: { code } }` when it sent one, else
 * `http-<status>`.
 */
export abstract class HttpError extends Error {
  // Declared, not defined as class fields: the constructor sets them, and a field would add
  // its own (emitted) definition first.
  declare readonly status: number;
  declare readonly code: string;

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

/**
 * The `code` and `message` of an error answer: the server's when its body says them (as
 * non-empty strings in `{ error: { code, message } }`), else `http-<status>` and
 * "`<what>` failed with HTTP <status> <statusText>".
 */
export function answerError(
  what: 'Upload' | 'Download',
  status: number,
  statusText: string,
  body: unknown,
): { code: string; message: string } {
  const error = (body as { error?: Record<string, unknown> } | null | undefined)?.error;
  const said = (key: 'code' | 'message') => {
    const value = typeof error === 'object' ? error?.[key] : undefined;
    return typeof value === 'string' && value ? value : undefined;
  };
  return {
    code: said('code') ?? `http-${status}`,
    message:
      said('message') ?? `${what} failed with HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
  };
}
