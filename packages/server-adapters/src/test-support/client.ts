import { type IncomingHttpHeaders, request } from 'node:http';
import type { StoredFile } from '../handler/handler-types';
import { type MultipartBody, multipart, type Part } from './multipart';

export interface UploadAnswer {
  status: number;
  headers: Headers;
  body: {
    files?: StoredFile[];
    fields?: Record<string, string>;
    error?: { code: string; message: string };
  };
}

/** POSTs a hand-built multipart body with `fetch` and reads the JSON answer. */
export async function postMultipart(
  url: string,
  parts: Part[] | MultipartBody,
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const built = Array.isArray(parts) ? multipart(parts) : parts;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': built.contentType, ...headers },
    body: Uint8Array.from(built.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a connection of its own (no keep-alive pool holding descriptors). */
export function requestOnce(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
