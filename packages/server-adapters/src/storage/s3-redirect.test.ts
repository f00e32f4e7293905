import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerOf, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { s3Storage } from './s3-storage';
import { type S3TestServer, startS3Server } from './test-support/s3-server';

let s3: S3TestServer;
let app: RunningApp;

beforeAll(async () => {
  s3 = await startS3Server();
  app = await startApp('express', {
    options: {
      storage: s3Storage({ client: s3.client, bucket: s3.bucket, prefix: 'r/', redirect: true }),
      authorize: (ctx) => headerOf(ctx, 'x-deny') === undefined,
    },
  });
});
afterAll(async () => {
  await app?.close();
  await s3?.close();
});

async function stored(name: string, data: string, type = 'text/plain'): Promise<string> {
  const answer = await postMultipart(`${app.base}/upload`, [
    { name: 'file', filename: name, type, data },
  ]);
  expect(answer.status).toBe(201);
  return answer.body.files?.[0]?.id as string;
}

describe('s3Storage({ redirect: true })', () => {
  it('answers GET with a redirect to a presigned GET that the bucket serves, ranges too', async () => {
    // A name past Latin-1: its header is ASCII (`filename*`), as any bucket passes it on.
    const id = await stored('日本 notes.txt', 'hello from the bucket');
    const res = await fetch(`${app.base}/${id}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = res.headers.get('location') ?? '';
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/r/${id}?`)).toBe(true);
    expect(location).toContain('X-Amz-Expires=300');
    const direct = await fetch(location);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toBe('hello from the bucket');
    // The bucket answers with the type and the name the download policy chose.
    expect(direct.headers.get('content-type')).toBe('text/plain');
    const here = await fetch(`${app.base}/${id}`, { method: 'HEAD' });
    const starName = (header: string | null) => /filename\*=(\S+)/.exec(header ?? '')?.[1];
    expect(starName(direct.headers.get('content-disposition'))).toBe(
      starName(here.headers.get('content-disposition')),
    );
    expect(direct.headers.get('content-disposition')).toMatch(
      /^attachment; filename="__ notes.txt"/,
    );
    const part = await fetch(location, { headers: { Range: 'bytes=6-9' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('from');
  });

  it('stays behind authorize and the conditional checks; HEAD is answered here', async () => {
    const id = await stored('a.txt', 'abc');
    expect(
      (await fetch(`${app.base}/${id}`, { redirect: 'manual', headers: { 'x-deny': '1' } })).status,
    ).toBe(403);
    const head = await fetch(`${app.base}/${id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('3');
    const etag = head.headers.get('etag') ?? '';
    const again = await fetch(`${app.base}/${id}`, {
      redirect: 'manual',
      headers: { 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${app.base}/nope-${id}`, { redirect: 'manual' })).status).toBe(404);
  });

  it('gives the bucket an ASCII Content-Disposition, the Latin-1 letters in filename* only', async () => {
    const id = await stored('café menu.txt', 'latte');
    const res = await fetch(`${app.base}/${id}`, { redirect: 'manual' });
    const direct = await fetch(res.headers.get('location') ?? '');
    expect(direct.headers.get('content-disposition')).toBe(
      `attachment; filename="caf_ menu.txt"; filename*=UTF-8''caf%C3%A9%20menu.txt`,
    );
    expect(await direct.text()).toBe('latte');
  });
});
