import { describe, expect, it } from 'vitest';
import type { StoredFile } from '../handler/handler-types';
import { memoryStorage } from '../storage/memory-storage';
import { multipart } from '../test-support/multipart';
import { updown } from './next';

// The route handler set, called as Next.js calls it: one exported function per method, each
// handed the route's Request. (examples/next runs them under `next build` and `next start`.)

const origin = 'http://127.0.0.1:3000';

function uploadRequest(text: string): Request {
  const body = multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', data: text }]);
  return new Request(`${origin}/api/files/upload`, {
    method: 'POST',
    headers: { 'content-type': body.contentType },
    body: Uint8Array.from(body.body),
  });
}

describe('the Next.js route handlers', () => {
  it('export one handler per method of the contract', () => {
    const handlers = updown({ prefix: '/api/files', storage: memoryStorage() });
    expect(Object.keys(handlers).sort()).toEqual(
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST'].sort(),
    );
  });

  it('serve an upload, its download with a Range, and its deletion through their methods', async () => {
    const seen: string[] = [];
    const { POST, GET, HEAD, DELETE } = updown({
      prefix: '/api/files',
      storage: memoryStorage(),
      authorize: (ctx) => {
        seen.push(`${ctx.operation} ${ctx.request.method} ${new URL(ctx.framework.url).pathname}`);
        return true;
      },
    });
    const answer = await POST(uploadRequest('hello from a route handler'));
    expect(answer.status).toBe(201);
    const { files } = (await answer.json()) as { files: StoredFile[] };
    const url = `${origin}${files[0]!.url}`;
    expect(files[0]!.url).toMatch(/^\/api\/files\/[^/]+$/);

    const part = await GET(new Request(url, { headers: { range: 'bytes=6-9' } }));
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('from');
    const head = await HEAD(new Request(url, { method: 'HEAD' }));
    expect(head.headers.get('content-length')).toBe('26');
    expect((await DELETE(new Request(url, { method: 'DELETE' }))).status).toBe(204);
    expect((await GET(new Request(url))).status).toBe(404);
    expect(seen).toEqual([
      'upload POST /api/files/upload',
      `download GET ${files[0]!.url}`,
      `download HEAD ${files[0]!.url}`,
      `delete DELETE ${files[0]!.url}`,
      `download GET ${files[0]!.url}`,
    ]);
  });

  it('answer the tus discovery OPTIONS and a creation under the prefix', async () => {
    const { OPTIONS, POST } = updown({ prefix: '/api/files', storage: memoryStorage() });
    const options = await OPTIONS(new Request(`${origin}/api/files/tus`, { method: 'OPTIONS' }));
    expect(options.status).toBe(204);
    expect(options.headers.get('tus-extension')).toContain('creation');
    const created = await POST(
      new Request(`${origin}/api/files/tus`, {
        method: 'POST',
        headers: { 'tus-resumable': '1.0.0', 'upload-length': '5' },
      }),
    );
    expect(created.status).toBe(201);
    expect(new URL(created.headers.get('location')!, origin).pathname).toMatch(
      /^\/api\/files\/tus\/[^/]+$/,
    );
  });

  it('answer 404 to a path outside the prefix', async () => {
    const { GET } = updown({ prefix: '/api/files', storage: memoryStorage() });
    const answer = await GET(new Request(`${origin}/elsewhere/abc`));
    expect(answer.status).toBe(404);
  });
});
