import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../storage/memory-storage';
import { postMultipart } from '../test-support/client';
import { patternBytes } from '../test-support/multipart';
import { nodeServerScene } from '../test-support/node-server-scene';
import { updown } from './fetch';

// The fetch entry given @hono/node-server's second argument (`{ incoming, outgoing }`) reads an
// untouched upload body from Node's request, as the Hono adapter does; called with the
// `Request` alone it reads the web body, as on every other runtime.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the fetch entry under @hono/node-server', () => {
  const scene = nodeServerScene();

  async function uploadThrough(fetchHandler: (request: Request, env?: unknown) => unknown) {
    const origin = await scene.listen(fetchHandler);
    const bytes = patternBytes(2 * 1024 * 1024 + 9, 7);
    const answer = await postMultipart(`${origin}/files/upload`, [
      { name: 'file', filename: 'a.bin', type: 'application/octet-stream', data: bytes },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.files?.[0]).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
  }

  it("reads Node's request when given the server's env, never making the web body", async () => {
    const handle = updown({ prefix: '/files', storage: memoryStorage() });
    await uploadThrough(handle);
    expect(scene.toWeb).not.toHaveBeenCalled();
  });

  it('reads the web body when called with the Request alone', async () => {
    const handle = updown({ prefix: '/files', storage: memoryStorage() });
    await uploadThrough((request) => handle(request));
    expect(scene.toWeb).toHaveBeenCalled();
  });
});
