import { parseAnswer } from '../shared/http-error';
import { UploadHttpError } from './upload-http-error';

/** What came back, through `XMLHttpRequest` or `fetch`: any status, 4xx and 5xx included. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  header(name: string): string | null;
  text: string;
}

/** An upload's answer as its result: the parsed body when 2xx, else an `UploadHttpError`. */
export function uploadResult<R>(answer: HttpAnswer): R {
  if (answer.status >= 200 && answer.status < 300) return parseAnswer(answer.text) as R;
  throw UploadHttpError.fromAnswer(answer.status, answer.statusText, answer.text);
}
