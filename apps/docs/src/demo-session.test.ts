import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi } from '../server.mjs';

// The demo server's authorize: without one, the adapter refuses every delete.

let directory: string;
let server: Server;
let base: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'updown-demo-session-'));
  server = await new Promise((resolve) => {
    const s = createDemoApi({ dataDirectory: directory }).listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/files`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

describe('the demo server', () => {
  it('lets the session that uploaded a file delete it, and nobody else', async () => {
    const form = new FormData();
    form.append('file', new Blob(['mine'], { type: 'text/plain' }), 'mine.txt');
    const posted = await fetch(`${base}/upload`, { method: 'POST', body: form });
    expect(posted.status).toBe(201);
    const cookie = (posted.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^updown-demo-session=/);
    const { files } = (await posted.json()) as { files: { id: string }[] };
    const url = `${base}/${files[0]?.id}`;

    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);
    const stranger = 'updown-demo-session=AAAAAAAAAAAAAAAAAAAAAA';
    expect((await fetch(url, { method: 'DELETE', headers: { cookie: stranger } })).status).toBe(
      403,
    );
    expect((await fetch(url, { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    expect((await fetch(url)).status).toBe(404);
  });
});
