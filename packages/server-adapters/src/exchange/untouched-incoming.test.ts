import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { untouchedIncoming } from './untouched-incoming';

/**
 * What `untouchedIncoming` says of one POST served by @hono/node-server, asked as the request
 * arrives, after `before` did what it does to the `Request` and its `incoming`.
 */
async function judge(
  before: (request: Request, incoming: IncomingMessage) => void = () => {},
): Promise<'incoming' | 'web'> {
  let verdict: 'incoming' | 'web' = 'web';
  const server = createServer(
    getRequestListener(
      (request, env) => {
        const incoming = env.incoming as IncomingMessage;
        before(request, incoming);
        verdict = untouchedIncoming(env, request) === incoming ? 'incoming' : 'web';
        return new Response('ok');
      },
      { overrideGlobalObjects: false },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'abc' })).text();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return verdict;
}

describe('untouchedIncoming', () => {
  it("gives @hono/node-server's IncomingMessage while nothing touched the body", async () => {
    expect(await judge()).toBe('incoming');
    // Headers, URL and signal are not the body.
    expect(
      await judge((request) => {
        request.headers.get('content-type');
        void request.signal;
        void request.url;
      }),
    ).toBe('incoming');
  });

  it('leaves a body anyone touched to the web path', async () => {
    expect(await judge((request) => void request.body)).toBe('web');
    expect(await judge((request) => void request.text())).toBe('web');
    expect(await judge((request) => void request.clone())).toBe('web');
    expect(await judge((_, incoming) => incoming.pause())).toBe('web');
    expect(await judge((_, incoming) => incoming.setEncoding('utf8'))).toBe('web');
    expect(await judge((_, incoming) => incoming.on('data', () => {}))).toBe('web');
    expect(
      await judge((_, incoming) => Object.assign(incoming, { rawBody: Buffer.from('abc') })),
    ).toBe('web');
  });

  it('gives nothing without a Node bridge, or for a Request not made from that incoming', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'abc' });
    expect(untouchedIncoming(undefined, request)).toBeUndefined();
    expect(untouchedIncoming({}, request)).toBeUndefined();
    expect(untouchedIncoming({ incoming: { headers: {} } }, request)).toBeUndefined();
    // A Request made anew from the server's own (an app rewriting the URL) owns the body now.
    expect(await judge((made) => void new Request('http://y/', made))).toBe('web');
  });
});
