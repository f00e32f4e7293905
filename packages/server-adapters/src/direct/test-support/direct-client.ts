// A plain fetch client of the direct-to-bucket routes, as a browser would be one: JSON to the
// app server, the bytes straight to the presigned URLs. Not part of the package build.
import { createHash } from 'node:crypto';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface PutCreated {
  id: string;
  kind: 'put';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface MultipartCreated {
  id: string;
  kind: 'multipart';
  partSize: number;
  partCount: number;
  expiresAt: string;
}

export type Created = PutCreated | MultipartCreated;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes of a repeating pattern, different for each `seed`. */
export function patternBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

export function directClient(base: string, headers: Record<string, string> = {}) {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer<T>> {
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  return {
    create: (declared: Record<string, unknown>) => call<Created>('POST', '/direct', declared),
    signParts: (id: string, partNumbers: number[]) =>
      call<{ parts: { partNumber: number; url: string }[] }>('POST', `/direct/${id}/parts`, {
        partNumbers,
      }),
    listParts: (id: string) =>
      call<{
        kind: string;
        partSize: number;
        partCount: number;
        parts: { partNumber: number; size: number; etag: string }[];
      }>('GET', `/direct/${id}/parts`),
    complete: (id: string, body: unknown = {}) =>
      call<{ files: Record<string, unknown>[]; fields: Record<string, string> }>(
        'POST',
        `/direct/${id}/complete`,
        body,
      ),
    abort: (id: string) => call('DELETE', `/direct/${id}`),
    call,
  };
}

/** PUTs bytes to a presigned URL, as the browser does; answers the status and the ETag. */
export async function putTo(
  url: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; etag: string }> {
  const res = await fetch(url, { method: 'PUT', headers, body: Buffer.from(bytes) });
  await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get('etag') ?? '' };
}

/** Sends the parts numbered `numbers` of `bytes` to their signed URLs; answers their ETags. */
export async function sendParts(
  client: ReturnType<typeof directClient>,
  created: MultipartCreated,
  bytes: Uint8Array,
  numbers: number[],
): Promise<{ partNumber: number; etag: string }[]> {
  const signed = await client.signParts(created.id, numbers);
  if (signed.status !== 200) throw new Error(`sign: ${signed.status}`);
  return Promise.all(
    signed.body.parts.map(async ({ partNumber, url }) => {
      const start = (partNumber - 1) * created.partSize;
      const part = bytes.subarray(start, Math.min(bytes.length, start + created.partSize));
      const { status, etag } = await putTo(url, part);
      if (status !== 200) throw new Error(`part ${partNumber}: ${status}`);
      return { partNumber, etag };
    }),
  );
}
