import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { webExchange } from './web-exchange';

/** A request whose body arrives in two pieces, the second `delayMs` after the first. */
function slowRequest(declaredLength: number, delayMs: number) {
  const state = { sent: 0, ended: false };
  const piece = new Uint8Array(declaredLength / 2);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(piece);
      state.sent += piece.length;
      setTimeout(() => {
        controller.enqueue(piece);
        state.sent += piece.length;
        controller.close();
        state.ended = true;
      }, delayMs);
    },
  });
  const request = new Request('http://localhost/upload', {
    method: 'POST',
    headers: { 'content-length': String(declaredLength), 'content-type': 'text/plain' },
    body,
    duplex: 'half',
  } as RequestInit);
  return { request, state };
}

describe('an early answer on a web exchange', () => {
  it('to a small body waits for the rest of it, so a runtime that closes the connection does not cut the client off', async () => {
    const { request, state } = slowRequest(64 * 1024, 150);
    const exchange = webExchange(request, '/upload');
    exchange.send(415, { 'Content-Type': 'application/json' }, '{"error":{}}');
    expect(exchange.answered).toBe(true);
    const response = await exchange.response;
    expect(state.ended).toBe(true);
    expect(exchange.bodyUnread).toBe(false);
    expect(response.status).toBe(415);
    expect(await response.text()).toBe('{"error":{}}');
  });

  it('to a large body is given at once: the rest is not read to its end first', async () => {
    const { request, state } = slowRequest(4 * 1024 * 1024, 2_000);
    const exchange = webExchange(request, '/upload');
    exchange.send(413, {}, 'too large');
    const response = await exchange.response;
    expect(state.ended).toBe(false);
    expect(response.status).toBe(413);
    await request.body?.cancel();
  });

  // The bounds are far from the 1 s wait and the 5 s discard bound: they tell the paths apart.
  it('to a small body that stalls goes after a moment, and a 408 at once', async () => {
    for (const [status, atMostMs] of [
      [415, 4_000],
      [408, 800],
    ] as const) {
      const { request, state } = slowRequest(64 * 1024, 10_000);
      const exchange = webExchange(request, '/upload');
      const started = performance.now();
      exchange.send(status, {}, 'refused');
      expect((await exchange.response).status).toBe(status);
      expect(performance.now() - started).toBeLessThan(atMostMs);
      expect(state.ended).toBe(false);
      await request.body?.cancel().catch(() => {});
    }
  });

  it('after the body was read whole is given at once', async () => {
    const request = new Request('http://localhost/upload', { method: 'POST', body: 'done' });
    const exchange = webExchange(request, '/upload');
    await request.text();
    exchange.send(201, {}, 'ok');
    expect((await exchange.response).status).toBe(201);
  });
});

describe('a streamed answer on a web exchange', () => {
  const get = () => webExchange(new Request('http://localhost/f'), '/f');

  /** A source that gives `chunks`, then ends, fails, or closes, as `then` says. */
  function source(chunks: string[], then: 'end' | 'error' | 'close') {
    const stream = new Readable({ read() {} });
    setImmediate(() => {
      for (const chunk of chunks) stream.push(Buffer.from(chunk));
      if (then === 'end') stream.push(null);
      else if (then === 'error') stream.destroy(new Error('disk gone'));
      else stream.destroy();
    });
    return stream;
  }

  it.each([
    ['small, read first and answered whole', 10],
    ['large, streamed', 200 * 1024],
  ])('gives every byte of a %s body', async (_, size) => {
    const exchange = get();
    const data = 'x'.repeat(size);
    const half = data.slice(0, size / 2);
    const sent = exchange.stream(200, { 'Content-Length': size }, source([half, half], 'end'));
    const response = await exchange.response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(size));
    expect(await response.text()).toBe(data);
    await sent;
  });

  it.each(['error', 'close'] as const)(
    'cuts a small body short when its source ends in %s: the headers, what it gave, then a failed read',
    async (then) => {
      const exchange = get();
      const sent = exchange.stream(206, { 'Content-Length': 10 }, source(['abc'], then));
      const response = await exchange.response;
      expect(response.status).toBe(206);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      expect(Buffer.from((await reader.read()).value ?? []).toString()).toBe('abc');
      await expect(reader.read()).rejects.toThrow();
      await sent;
    },
  );

  it('stops a small body whose source gives more than it declares, and gives no byte past it', async () => {
    const exchange = get();
    const endless = new Readable({ read() {} });
    let pushed = 0;
    const more = setInterval(() => {
      endless.push(Buffer.alloc(4, 120));
      pushed += 4;
    }, 1);
    const sent = exchange.stream(200, { 'Content-Length': 10 }, endless);
    const response = await exchange.response;
    clearInterval(more);
    expect(endless.destroyed).toBe(true);
    expect(pushed).toBeLessThan(64);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let given = '';
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        given += Buffer.from(value).toString();
      }
    })().catch((error: unknown) => error);
    expect(given).toBe('xxxxxxxx');
    expect(String(failure)).toMatch(/more bytes than/);
    await sent;
  });
});
