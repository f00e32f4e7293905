import { createUploader, type Transport, UploadHttpError, xhrTransport } from '@updown/core';

// The built-in one, with your defaults: a bearer token read at send time.
export const withToken = xhrTransport({
  endpoint: '/api/files/upload',
  headers: () => ({ authorization: `Bearer ${sessionStorage.getItem('token') ?? ''}` }),
});

// Your own: PUT each file to a URL your API signs (S3, R2, GCS...).
interface Signed {
  key: string;
}
const presignedPut: Transport<Signed> = async (item, { signal }) => {
  const sign = await fetch(`/api/sign?name=${encodeURIComponent(item.name)}`, { signal });
  const { url, key } = (await sign.json()) as { url: string; key: string };
  const put = await fetch(url, { method: 'PUT', body: item.file, signal });
  if (!put.ok) throw new UploadHttpError(put.status, `http-${put.status}`, 'Upload refused');
  return { key };
};

export const uploader = createUploader<Signed>({ transport: presignedPut, concurrency: 4 });
