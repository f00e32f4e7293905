import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBlob } from './to-blob';

async function bytesOf(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

describe('toBlob: one row per data kind', () => {
  const buffer = new Uint8Array([1, 2, 3, 250]).buffer;
  const rows: { kind: string; data: unknown; mimeType?: string; type: string; bytes: number[] }[] =
    [
      { kind: 'string', data: 'héllo', type: 'text/plain;charset=utf-8', bytes: utf8('héllo') },
      { kind: 'empty string', data: '', type: 'text/plain;charset=utf-8', bytes: [] },
      {
        kind: 'string with a MIME type',
        data: 'a,b\n1,2',
        mimeType: 'text/csv',
        type: 'text/csv',
        bytes: utf8('a,b\n1,2'),
      },
      {
        kind: 'string mentioning data: later',
        data: 'x data:,y',
        type: 'text/plain;charset=utf-8',
        bytes: utf8('x data:,y'),
      },
      {
        kind: 'data: URI, base64',
        data: 'data:image/png;base64,AQID+g==',
        type: 'image/png',
        bytes: [1, 2, 3, 250],
      },
      {
        kind: 'data: URI, base64 with whitespace',
        data: 'data:application/octet-stream;base64,AQ ID\n+g==',
        type: 'application/octet-stream',
        bytes: [1, 2, 3, 250],
      },
      {
        kind: 'data: URI, percent-encoded',
        data: 'data:text/csv;charset=utf-8,a%2Cb%0A%C3%A9,x',
        type: 'text/csv;charset=utf-8',
        bytes: utf8('a,b\né,x'),
      },
      {
        kind: 'data: URI without a type',
        data: 'data:,Hello%20World',
        type: 'text/plain;charset=us-ascii',
        bytes: utf8('Hello World'),
      },
      {
        kind: 'data: URI with only parameters',
        data: 'data:;charset=utf-8,%C3%A9',
        type: 'text/plain;charset=utf-8',
        bytes: utf8('é'),
      },
      {
        kind: 'Uint8Array',
        data: new Uint8Array([1, 2, 3]),
        type: 'application/octet-stream',
        bytes: [1, 2, 3],
      },
      {
        kind: 'Uint8Array view with an offset',
        data: new Uint8Array([9, 1, 2, 9]).subarray(1, 3),
        type: 'application/octet-stream',
        bytes: [1, 2],
      },
      {
        kind: 'Uint8ClampedArray',
        data: new Uint8ClampedArray([0, 255]),
        type: 'application/octet-stream',
        bytes: [0, 255],
      },
      {
        kind: 'Int8Array',
        data: new Int8Array([-1, 1]),
        type: 'application/octet-stream',
        bytes: [255, 1],
      },
      {
        kind: 'Uint16Array',
        data: new Uint16Array([0x0201]),
        type: 'application/octet-stream',
        bytes: [1, 2],
      },
      {
        kind: 'Int16Array',
        data: new Int16Array([-2]),
        type: 'application/octet-stream',
        bytes: [254, 255],
      },
      {
        kind: 'Uint32Array',
        data: new Uint32Array([0x04030201]),
        type: 'application/octet-stream',
        bytes: [1, 2, 3, 4],
      },
      {
        kind: 'Int32Array',
        data: new Int32Array([-1]),
        type: 'application/octet-stream',
        bytes: [255, 255, 255, 255],
      },
      {
        kind: 'Float32Array',
        data: new Float32Array([1]),
        type: 'application/octet-stream',
        bytes: [0, 0, 128, 63],
      },
      {
        kind: 'Float64Array',
        data: new Float64Array([1]),
        type: 'application/octet-stream',
        bytes: [0, 0, 0, 0, 0, 0, 240, 63],
      },
      {
        kind: 'BigInt64Array',
        data: new BigInt64Array([-1n]),
        type: 'application/octet-stream',
        bytes: Array(8).fill(255),
      },
      {
        kind: 'BigUint64Array',
        data: new BigUint64Array([258n]),
        type: 'application/octet-stream',
        bytes: [2, 1, 0, 0, 0, 0, 0, 0],
      },
      {
        kind: 'DataView',
        data: new DataView(buffer, 1, 2),
        type: 'application/octet-stream',
        bytes: [2, 3],
      },
      {
        kind: 'ArrayBuffer',
        data: buffer,
        type: 'application/octet-stream',
        bytes: [1, 2, 3, 250],
      },
      {
        kind: 'ArrayBuffer with a MIME type',
        data: buffer,
        mimeType: 'image/png',
        type: 'image/png',
        bytes: [1, 2, 3, 250],
      },
      {
        kind: 'SharedArrayBuffer',
        data: new SharedArrayBuffer(2),
        type: 'application/octet-stream',
        bytes: [0, 0],
      },
      {
        kind: 'plain object',
        data: { a: 1, b: [true, null], c: 'é' },
        type: 'application/json',
        bytes: utf8('{"a":1,"b":[true,null],"c":"é"}'),
      },
      { kind: 'array', data: [1, 'two'], type: 'application/json', bytes: utf8('[1,"two"]') },
      { kind: 'number', data: 42, type: 'application/json', bytes: utf8('42') },
      { kind: 'boolean', data: false, type: 'application/json', bytes: utf8('false') },
      { kind: 'null', data: null, type: 'application/json', bytes: utf8('null') },
      {
        kind: 'Date (toJSON)',
        data: { at: new Date(0) },
        type: 'application/json',
        bytes: utf8('{"at":"1970-01-01T00:00:00.000Z"}'),
      },
      {
        kind: 'shared, not circular, references',
        data: (() => {
          const x = { v: 1 };
          return { a: x, b: x };
        })(),
        type: 'application/json',
        bytes: utf8('{"a":{"v":1},"b":{"v":1}}'),
      },
      {
        kind: 'JSON with a MIME type',
        data: { a: 1 },
        mimeType: 'application/vnd.api+json',
        type: 'application/vnd.api+json',
        bytes: utf8('{"a":1}'),
      },
    ];

  it.each(rows)('$kind', async ({ data, mimeType, type, bytes }) => {
    const blob = await toBlob(data, mimeType);
    expect(blob.type).toBe(type);
    expect(await bytesOf(blob)).toEqual(bytes);
  });

  it('copies bytes, so later changes to the array do not leak into the Blob', async () => {
    const array = new Uint8Array([1, 2]);
    const blob = await toBlob(array);
    array[0] = 99;
    expect(await bytesOf(blob)).toEqual([1, 2]);
  });

  it('returns a Blob or File as is', async () => {
    const blob = new Blob(['x'], { type: 'text/plain' });
    const file = new File(['y'], 'y.txt', { type: 'text/plain' });
    expect(await toBlob(blob)).toBe(blob);
    expect(await toBlob(file)).toBe(file);
    expect(await toBlob(file, 'text/plain')).toBe(file);
    const retyped = await toBlob(blob, 'text/csv');
    expect(retyped.type).toBe('text/csv');
    expect(await retyped.text()).toBe('x');
  });
});

describe('toBlob: errors say what went wrong', () => {
  it('refuses cycles and names the path', async () => {
    const value: { a: { b: Record<string, unknown> } } = { a: { b: {} } };
    value.a.b.back = value.a;
    await expect(toBlob(value)).rejects.toThrow(/circular.*\$\.a\.b\.back/);
  });

  it('refuses BigInt and names the path', async () => {
    await expect(toBlob({ list: [1, 2n] })).rejects.toThrow(/BigInt at \$\.list\.1/);
    await expect(toBlob(5n)).rejects.toThrow(TypeError);
  });

  it('refuses what JSON cannot hold at all', async () => {
    await expect(toBlob(undefined)).rejects.toThrow(/undefined cannot be converted/);
    await expect(toBlob(() => 1)).rejects.toThrow(/function cannot be converted/);
  });

  it('refuses a data: URI whose base64 is broken', async () => {
    await expect(toBlob('data:text/plain;base64,@@@')).rejects.toThrow(/not valid base64/);
    await expect(toBlob('data:text/plain')).rejects.toThrow(/malformed/);
  });
});

describe('toBlob: images, through structural fakes (real ones run in Chromium)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('encodes a canvas with toBlob, PNG by default or the type asked', async () => {
    const calls: (string | undefined)[] = [];
    const canvas = {
      width: 2,
      height: 1,
      getContext: () => null,
      toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number) {
        calls.push(type, String(quality));
        setTimeout(() => callback(new Blob(['img'], { type })));
      },
    };
    expect((await toBlob(canvas)).type).toBe('image/png');
    expect((await toBlob(canvas, 'image/jpeg', { quality: 0.5 })).type).toBe('image/jpeg');
    expect(calls).toEqual(['image/png', 'undefined', 'image/jpeg', '0.5']);
  });

  it('says so when a canvas gives no image or is tainted', async () => {
    const empty = {
      width: 0,
      height: 0,
      toBlob: (callback: (blob: Blob | null) => void) => callback(null),
    };
    await expect(toBlob(empty)).rejects.toThrow(/gave no image/);
    const tainted = {
      width: 1,
      height: 1,
      toBlob() {
        throw new DOMException('Tainted canvases may not be exported.', 'SecurityError');
      },
    };
    await expect(toBlob(tainted)).rejects.toThrow(/tainted/);
  });

  it('encodes an OffscreenCanvas with convertToBlob', async () => {
    const asked: unknown[] = [];
    const offscreen = {
      width: 1,
      height: 1,
      async convertToBlob(options?: { type?: string }) {
        asked.push(options);
        return new Blob(['img'], { type: options?.type });
      },
    };
    expect((await toBlob(offscreen)).type).toBe('image/png');
    expect((await toBlob(offscreen, 'image/webp', { quality: 0.8 })).type).toBe('image/webp');
    expect(asked).toEqual([{ type: 'image/png' }, { type: 'image/webp', quality: 0.8 }]);
  });

  it('draws ImageData on a scratch canvas', async () => {
    const drawn: unknown[] = [];
    class FakeOffscreenCanvas {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return { putImageData: (image: unknown, x: number, y: number) => drawn.push(image, x, y) };
      }
      async convertToBlob(options: { type: string }) {
        return new Blob([`${this.width}x${this.height}`], { type: options.type });
      }
    }
    vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas);
    const image = { data: new Uint8ClampedArray(3 * 2 * 4), width: 3, height: 2 };
    const blob = await toBlob(image);
    expect(blob.type).toBe('image/png');
    expect(await blob.text()).toBe('3x2');
    expect(drawn).toEqual([image, 0, 0]);
  });

  it('explains when no canvas exists to encode ImageData (Node)', async () => {
    const image = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
    await expect(toBlob(image)).rejects.toThrow(/needs OffscreenCanvas or a DOM canvas/);
  });

  it('treats an object with a data array of the wrong length as JSON, not ImageData', async () => {
    const blob = await toBlob({ data: new Uint8ClampedArray(1), width: 5, height: 5 });
    expect(blob.type).toBe('application/json');
  });
});
