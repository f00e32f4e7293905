import { countingStream } from '../transport/counting-stream';
import { fetchRequest } from '../transport/fetch-request';
import type { HttpAnswer } from '../transport/http-answer';
import { prefersXhr } from '../transport/prefers-xhr';
import { xhrRequest } from '../transport/xhr-request';

export interface BucketPut {
  /** A presigned PUT or UploadPart URL. */
  url: string;
  body: Blob;
  /** Only what the signature covers: the bucket sees no cookie and no app header. */
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Bytes of the body the network took so far. */
  onBytes: (sent: number) => void;
  request?: 'xhr' | 'fetch';
  fetch?: typeof fetch;
}

/**
 * One PUT of bytes to the bucket: through `XMLHttpRequest` where it exists (`xhr.upload`
 * counts the bytes really sent), else `fetch` with a streamed body of a known length (S3
 * refuses a PUT without `Content-Length`). Browsers stream request bodies only over HTTP/2,
 * so a browser's `fetch` sends the Blob whole.
 */
export async function bucketPut(put: BucketPut): Promise<HttpAnswer> {
  const { url, body, signal, onBytes } = put;
  if (prefersXhr(put.request)) {
    return xhrRequest({
      method: 'PUT',
      url,
      headers: put.headers,
      body,
      signal,
      onUploadProgress: (loaded) => onBytes(loaded),
    });
  }
  const streamed = typeof (globalThis as { document?: unknown }).document === 'undefined';
  const answer = await fetchRequest({
    method: 'PUT',
    url,
    headers: streamed ? { ...put.headers, 'content-length': String(body.size) } : put.headers,
    body: streamed ? countingStream([body], { onBytes, signal }) : body,
    ...(streamed ? { duplex: 'half' as const } : {}),
    signal,
    ...(put.fetch ? { fetch: put.fetch } : {}),
  });
  onBytes(body.size);
  return answer;
}
