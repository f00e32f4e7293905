import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebRequestBody } from './web-request-body';

/** A few turns of the event loop: long enough for a destroyed stream's events to be out. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/** A web stream that hands out `chunks`, then stays open (a client still sending). */
function openStream(chunks: Uint8Array[] = []) {
  const state = { cancelled: false as boolean, reason: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { stream, state };
}

describe('WebRequestBody', () => {
  // What escapes as a process error (an 'error' event nobody listens to, a rejection nobody
  // catches) is counted here.
  let escaped: unknown[];
  const onEscape = (error: unknown) => escaped.push(error);
  beforeEach(() => {
    escaped = [];
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  });
  afterEach(() => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });

  it('refuses a body someone else already read or locked, naming the likely culprit', async () => {
    const { stream } = openStream([new Uint8Array([1])]);
    stream.getReader();
    expect(() => new WebRequestBody(stream, {}, new AbortController().signal)).toThrow(
      /already read or locked before updown/,
    );
  });

  it('made for a request already aborted, nobody reading it yet: cut short, nothing escapes', async () => {
    const { stream, state } = openStream([new Uint8Array([1, 2, 3])]);
    const client = new AbortController();
    client.abort();
    // The tus routes take the body, then wait for their storage before reading it.
    const body = new WebRequestBody(stream, {}, client.signal);
    await settle();
    expect(escaped).toEqual([]);
    expect(body.destroyed).toBe(true);
    expect(body.readableAborted).toBe(true);
    expect(body.complete).toBe(false);
    expect(state.cancelled).toBe(true);
  });

  it('aborted while read: a listener sees ECONNRESET, then close', async () => {
    const { stream, state } = openStream([new Uint8Array([1, 2, 3])]);
    const client = new AbortController();
    const body = new WebRequestBody(stream, {}, client.signal);
    const events: string[] = [];
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      client.abort();
    });
    body.on('error', (error: NodeJS.ErrnoException) => events.push(`error ${error.code}`));
    body.on('close', () => events.push('close'));
    await settle();
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));
    expect(events).toEqual(['error ECONNRESET', 'close']);
    expect(body.complete).toBe(false);
    expect(state.cancelled).toBe(true);
    expect(escaped).toEqual([]);
  });

  it('aborted after its reader let go of it (an early answer): only close, nothing escapes', async () => {
    const { stream } = openStream([new Uint8Array([1, 2, 3])]);
    const client = new AbortController();
    const body = new WebRequestBody(stream, {}, client.signal);
    const onError = () => {};
    const onData = () => {
      // Past the budget: the intake pauses the body and stops listening.
      body.pause();
      body.off('data', onData);
      body.off('error', onError);
    };
    body.on('data', onData);
    body.on('error', onError);
    await settle();
    let closed = false;
    body.on('close', () => {
      closed = true;
    });
    client.abort();
    await settle();
    expect(closed).toBe(true);
    expect(escaped).toEqual([]);
  });

  it('a web stream that fails: its error reaches a listener, and nothing escapes without one', async () => {
    const failing = () =>
      new ReadableStream<Uint8Array>({
        pull() {
          throw new Error('the runtime lost the connection');
        },
      });
    const listened = new WebRequestBody(failing(), {}, new AbortController().signal);
    const seen: string[] = [];
    listened.on('error', (error) => seen.push(error.message));
    listened.resume();
    const unheard = new WebRequestBody(failing(), {}, new AbortController().signal);
    unheard.resume();
    await settle();
    expect(seen).toEqual(['the runtime lost the connection']);
    expect(unheard.destroyed).toBe(true);
    expect(unheard.complete).toBe(false);
    expect(escaped).toEqual([]);
  });

  it('read to its end is complete, and a later abort changes nothing', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([7]));
        controller.enqueue(new Uint8Array(0));
        controller.enqueue(new Uint8Array([8]));
        controller.close();
      },
    });
    const client = new AbortController();
    const body = new WebRequestBody(stream, {}, client.signal);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    client.abort();
    await settle();
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([7, 8]));
    expect(body.complete).toBe(true);
    expect(escaped).toEqual([]);
  });
});
