import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pumpBody } from './body-pump';

function recorder() {
  const touches: string[] = [];
  return {
    touches,
    idle: { touch: () => touches.push('touch'), hold: () => touches.push('hold') },
  };
}

describe('pumpBody', () => {
  it('writes every chunk in order, waiting for a slow sink, and holds the clock meanwhile', async () => {
    const source = new PassThrough();
    const written: string[] = [];
    let release: () => void = () => {};
    const sink = {
      write(chunk: Uint8Array) {
        written.push(Buffer.from(chunk).toString());
        if (written.length !== 1) return undefined;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    };
    const { touches, idle } = recorder();
    const done = pumpBody(source, sink, { maxBytes: 100, onChunk: () => {}, idle });
    source.write('a');
    source.write('b');
    source.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['a']);
    expect(source.isPaused()).toBe(true);
    release();
    expect(await done).toBe('end');
    expect(written).toEqual(['a', 'b']);
    expect(touches.slice(0, 2)).toEqual(['touch', 'hold']);
  });

  it('stops at the byte budget without writing the chunk that goes past it', async () => {
    const source = new PassThrough();
    const written: number[] = [];
    const seen: number[] = [];
    const done = pumpBody(
      source,
      { write: (chunk) => void written.push(chunk.length) },
      { maxBytes: 5, onChunk: (chunk) => seen.push(chunk.length), idle: recorder().idle },
    );
    source.write(Buffer.alloc(4));
    await new Promise((resolve) => setImmediate(resolve));
    source.write(Buffer.alloc(2));
    expect(await done).toBe('too-large');
    expect(written).toEqual([4]);
    expect(seen).toEqual([4]);
  });

  it('is cut when the source is destroyed, and throws what the sink throws', async () => {
    const cut = new PassThrough();
    const first = pumpBody(
      cut,
      { write: () => undefined },
      { maxBytes: 9, onChunk: () => {}, idle: recorder().idle },
    );
    cut.destroy();
    expect(await first).toBe('cut');

    const failing = new PassThrough();
    const second = pumpBody(
      failing,
      { write: () => Promise.reject(new Error('disk full')) },
      { maxBytes: 9, onChunk: () => {}, idle: recorder().idle },
    );
    failing.write('x');
    await expect(second).rejects.toThrow('disk full');
  });

  it('ignores chunks once the caller stopped', async () => {
    const source = new PassThrough();
    let stopped = false;
    const written: number[] = [];
    const done = pumpBody(
      source,
      { write: (chunk) => void written.push(chunk.length) },
      { maxBytes: 9, onChunk: () => {}, idle: recorder().idle, stopped: () => stopped },
    );
    source.write('ab');
    await new Promise((resolve) => setImmediate(resolve));
    stopped = true;
    source.end('cd');
    expect(await done).toBe('end');
    expect(written).toEqual([2]);
  });
});
