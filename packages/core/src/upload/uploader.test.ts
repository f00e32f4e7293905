import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Transport } from '../transport/transport';
import { UploadHttpError } from '../transport/upload-http-error';
import { type FakeCall, fakeTransport, makeFile, settle } from './test-support/fake-transport';
import { createUploader } from './uploader';
import type { UploaderState } from './uploader-types';

afterEach(() => {
  vi.useRealTimers();
});

describe('createUploader: adding', () => {
  it('queues accepted files and keeps rejections with their reasons', async () => {
    const onRejected = vi.fn();
    const up = createUploader({
      transport: fakeTransport().transport,
      rules: { accept: 'image/*', maxSize: 100 },
      onRejected,
    });
    const result = await up.add([
      makeFile('a.png', 10, 'image/png'),
      makeFile('b.pdf', 10, 'application/pdf'),
      makeFile('c.png', 1000, 'image/png'),
    ]);
    expect(result.accepted.map((i) => i.name)).toEqual(['a.png']);
    expect(result.rejected.map((r) => r.errors[0]?.code)).toEqual([
      'file-invalid-type',
      'file-too-large',
    ]);
    const state = up.getState();
    expect(state.items).toHaveLength(1);
    expect(state.items[0]).toMatchObject({ status: 'queued', attempts: 0, size: 10 });
    expect(state.rejected).toHaveLength(2);
    expect(state.status).toBe('idle');
    expect(onRejected).toHaveBeenCalledWith(result.rejected);
  });

  it('counts held items against maxFiles, across concurrent adds', async () => {
    const up = createUploader({ transport: fakeTransport().transport, rules: { maxFiles: 3 } });
    const [first, second] = await Promise.all([
      up.add([makeFile('a', 1), makeFile('b', 1)]),
      up.add([makeFile('c', 1), makeFile('d', 1)]),
    ]);
    expect(first.accepted).toHaveLength(2);
    expect(second.accepted.map((i) => i.name)).toEqual(['c']);
    expect(second.rejected[0]?.errors[0]?.code).toBe('too-many-files');
    // A cancelled item no longer holds a place.
    up.cancel(first.accepted[0]!.id);
    expect((await up.add([makeFile('e', 1)])).accepted).toHaveLength(1);
  });

  it('with multiple: false, takes one file and refuses a batch of several', async () => {
    const up = createUploader({ transport: fakeTransport().transport, multiple: false });
    const two = await up.add([makeFile('a', 1), makeFile('b', 1)]);
    expect(two.accepted).toHaveLength(0);
    expect(two.rejected.map((r) => r.errors[0]?.code)).toEqual([
      'too-many-files',
      'too-many-files',
    ]);
    expect((await up.add([makeFile('c', 1)])).accepted).toHaveLength(1);
    expect((await up.add([makeFile('d', 1)])).accepted).toHaveLength(0);
  });

  it('runs async validate and keeps relative paths', async () => {
    const up = createUploader({
      transport: fakeTransport().transport,
      rules: { validate: async (f) => (f.name.startsWith('x') ? 'no x files' : null) },
    });
    const result = await up.add([makeFile('a', 1), makeFile('xb', 1)], {
      relativePaths: ['dir/a', 'dir/xb'],
    });
    expect(result.accepted[0]).toMatchObject({ name: 'a', relativePath: 'dir/a' });
    expect(result.rejected[0]?.errors).toEqual([
      { code: 'validation-failed', message: 'no x files' },
    ]);
  });

  it('gives every item a distinct id', async () => {
    const up = createUploader({ transport: fakeTransport().transport });
    const { accepted } = await up.add(Array.from({ length: 50 }, (_, i) => makeFile(`f${i}`, 1)));
    expect(new Set(accepted.map((i) => i.id)).size).toBe(50);
  });
});

describe('createUploader: sending', () => {
  it('never sends more than `concurrency` at once, and sends them all', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 3 });
    await up.add(Array.from({ length: 10 }, (_, i) => makeFile(`f${i}`, 10)));
    const done = up.upload();
    let maxOpen = 0;
    for (let round = 0; round < 20 && fake.open().length > 0; round++) {
      maxOpen = Math.max(maxOpen, fake.open().length);
      expect(up.getState().items.filter((i) => i.status === 'uploading')).toHaveLength(
        fake.open().length,
      );
      fake.open()[0]!.resolve({ ok: round });
      await settle();
    }
    const items = await done;
    expect(maxOpen).toBe(3);
    expect(fake.calls).toHaveLength(10);
    expect(items.every((i) => i.status === 'success')).toBe(true);
    expect(up.getState()).toMatchObject({ status: 'done', progress: { percent: 100 } });
  });

  it('reports progress scaled to the file size, and the response', async () => {
    const fake = fakeTransport();
    const onItemSuccess = vi.fn();
    const up = createUploader({
      transport: fake.transport,
      onItemSuccess,
      metadata: { album: '7' },
    });
    const { accepted } = await up.add([makeFile('a', 1000)]);
    const done = up.upload();
    const call = fake.last();
    expect(call.context.metadata).toEqual({ album: '7' });
    expect(call.item).toMatchObject({ id: accepted[0]!.id, attempt: 1, size: 1000 });
    // A transport counts its whole body, multipart overhead included.
    call.context.onProgress(600, 1200);
    expect(up.getState().items[0]!.progress).toEqual({ loaded: 500, total: 1000, percent: 50 });
    expect(up.getState().progress.percent).toBe(50);
    call.resolve({ id: 'server-id' });
    const [item] = await done;
    expect(item).toMatchObject({ status: 'success', response: { id: 'server-id' } });
    expect(onItemSuccess).toHaveBeenCalledWith(item);
  });

  it('retries 5xx and network errors with backoff, on fake timers', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const delay = vi.fn((attempt: number) => attempt * 1000);
    const up = createUploader({ transport: fake.transport, retry: { attempts: 3, delay } });
    await up.add([makeFile('a', 10)]);
    const done = up.upload();
    fake.last().reject(new UploadHttpError(503, 'http-503', 'busy'));
    await settle();
    expect(delay).toHaveBeenCalledWith(1);
    expect(fake.calls).toHaveLength(1);
    expect(up.getState().items[0]!.status).toBe('uploading');
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls).toHaveLength(2);
    expect(fake.last().item.attempt).toBe(2);
    fake.last().reject(new TypeError('fetch failed'));
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    expect(fake.calls).toHaveLength(3);
    fake.last().resolve('ok');
    const [item] = await done;
    expect(item).toMatchObject({ status: 'success', attempts: 3, response: 'ok' });
  });

  it('gives up after the last attempt and keeps the error', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const onItemError = vi.fn();
    const up = createUploader({ transport: fake.transport, onItemError, retry: { attempts: 2 } });
    await up.add([makeFile('a', 10)]);
    const done = up.upload();
    fake.last().reject(new UploadHttpError(500, 'storage-error', 'Storage failed'));
    await vi.advanceTimersByTimeAsync(1000); // default backoff: 1 s before try 2
    expect(fake.calls).toHaveLength(2);
    fake.last().reject(new UploadHttpError(500, 'storage-error', 'Storage failed'));
    const [item] = await done;
    expect(item).toMatchObject({
      status: 'error',
      attempts: 2,
      error: { code: 'storage-error', status: 500, message: 'Storage failed' },
    });
    expect(onItemError).toHaveBeenCalledTimes(1);
    expect(up.getState().status).toBe('error');
  });

  it('does not retry a transport that retries by itself; retry(id) still sends it again', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const selfRetrying: Transport = Object.assign(fake.transport, { retriesItself: true });
    const onItemError = vi.fn();
    const up = createUploader({ transport: selfRetrying, retry: { attempts: 5 }, onItemError });
    const { accepted } = await up.add([makeFile('a', 10)]);
    const done = up.upload();
    fake.last().reject(new UploadHttpError(503, 'http-503', 'busy'));
    const [item] = await done;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.calls).toHaveLength(1);
    expect(item).toMatchObject({ status: 'error', attempts: 1, error: { status: 503 } });
    expect(onItemError).toHaveBeenCalledTimes(1);
    up.retry(accepted[0]!.id);
    expect(fake.calls).toHaveLength(2);
    expect(fake.last().item.attempt).toBe(2);
    fake.last().resolve('ok');
    await settle();
    expect(up.getState().items[0]).toMatchObject({ status: 'success', attempts: 2 });
  });

  it('ignores progress from a failed try while it waits to try again', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const up = createUploader({
      transport: fake.transport,
      retry: { attempts: 2, delay: () => 100 },
    });
    await up.add([makeFile('a', 100)]);
    void up.upload();
    const first = fake.last();
    first.context.onProgress(50, 100);
    first.reject(new UploadHttpError(503, 'http-503', 'busy'));
    await settle();
    first.context.onProgress(90, 100);
    expect(up.getState().items[0]!.progress.loaded).toBe(50);
    await vi.advanceTimersByTimeAsync(100);
    const second = fake.last();
    expect(second).not.toBe(first);
    expect(up.getState().items[0]).toMatchObject({ attempts: 2, progress: { loaded: 0 } });
    first.context.onProgress(70, 100);
    second.context.onProgress(20, 100);
    expect(up.getState().items[0]!.progress.loaded).toBe(20);
  });

  it('never retries a 4xx answer', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport });
    await up.add([makeFile('a', 10)]);
    const done = up.upload();
    fake.last().reject(new UploadHttpError(413, 'file-too-large', 'Too big'));
    const [item] = await done;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.calls).toHaveLength(1);
    expect(item!.error).toEqual({ code: 'file-too-large', message: 'Too big', status: 413 });
  });

  it('cancel and pause also stop a backoff wait', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const up = createUploader({
      transport: fake.transport,
      retry: { attempts: 3, delay: () => 1000 },
    });
    const { accepted } = await up.add([makeFile('a', 10), makeFile('b', 10)]);
    const [a, b] = accepted.map((i) => i.id) as [string, string];
    const done = up.upload();
    for (const call of fake.open()) call.reject(new UploadHttpError(503, 'http-503', 'busy'));
    await settle();
    up.cancel(a);
    up.pause(b);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.calls).toHaveLength(2);
    expect(up.getState().items.map((i) => i.status)).toEqual(['cancelled', 'paused']);
    up.resume(b);
    expect(fake.calls).toHaveLength(3);
    fake.last().resolve('ok');
    expect((await done).map((i) => i.status)).toEqual(['cancelled', 'success']);
  });

  it('ignores a transport that answers after it was aborted', async () => {
    const calls: { resolve: (v: string) => void; onProgress: (l: number, t: number) => void }[] =
      [];
    const deaf: Transport<string> = (_item, { onProgress }) =>
      new Promise((resolve) => calls.push({ resolve, onProgress }));
    const up = createUploader({ transport: deaf });
    const { accepted } = await up.add([makeFile('a', 10)]);
    const done = up.upload();
    up.cancel(accepted[0]!.id);
    calls[0]!.onProgress(10, 10);
    calls[0]!.resolve('late');
    await done;
    await settle();
    expect(up.getState().items[0]).toMatchObject({ status: 'cancelled', progress: { loaded: 0 } });
    expect(up.getState().items[0]!.response).toBeUndefined();
  });

  it('upload(ids) resolves at once for items already settled, and skips unknown ids', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport });
    const { accepted } = await up.add([makeFile('a', 10)]);
    const first = up.upload(accepted[0]!.id);
    fake.last().resolve('ok');
    await first;
    const again = await up.upload([accepted[0]!.id, 'nope']);
    expect(again.map((i) => i.status)).toEqual(['success']);
    expect(fake.calls).toHaveLength(1);
  });

  it('retry(id) sends a failed item again', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, retry: false });
    const { accepted } = await up.add([makeFile('a', 10)]);
    const first = up.upload();
    fake.last().reject(new UploadHttpError(500, 'http-500', 'x'));
    await first;
    up.retry(accepted[0]!.id);
    expect(up.getState().items[0]!.status).toBe('uploading');
    expect(up.getState().items[0]!.error).toBeUndefined();
    fake.last().resolve('fine');
    await settle();
    expect(up.getState().items[0]).toMatchObject({ status: 'success', attempts: 2 });
  });

  it('cancel during an upload aborts its signal and settles upload()', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 1 });
    const { accepted } = await up.add([makeFile('a', 10), makeFile('b', 10)]);
    const done = up.upload();
    const call = fake.last();
    call.context.onProgress(5, 10);
    up.cancel(accepted[0]!.id);
    expect(call.context.signal.aborted).toBe(true);
    expect(up.getState().items[0]!.status).toBe('cancelled');
    // The freed slot goes to the next item.
    expect(fake.calls).toHaveLength(2);
    fake.last().resolve('ok');
    const items = await done;
    expect(items.map((i) => i.status)).toEqual(['cancelled', 'success']);
    // Cancelled bytes leave the aggregate: the rest is complete.
    expect(up.getState().progress.percent).toBe(100);
  });

  it('cancel() with no id stops every unfinished item, queued ones too', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 1 });
    await up.add([makeFile('a', 10), makeFile('b', 10)]);
    const done = up.upload();
    up.cancel();
    expect((await done).map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.aborted).toBe(true);
  });

  it('pause aborts the request and resume sends again', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport });
    const { accepted } = await up.add([makeFile('a', 100)]);
    const id = accepted[0]!.id;
    const done = up.upload();
    fake.last().context.onProgress(40, 100);
    up.pause(id);
    expect(fake.last().aborted).toBe(true);
    expect(up.getState().items[0]).toMatchObject({ status: 'paused', progress: { loaded: 40 } });
    expect(up.getState().status).toBe('paused');
    const percentWhilePaused = up.getState().progress.percent;
    up.resume(id);
    expect(up.getState().status).toBe('uploading');
    expect(fake.calls).toHaveLength(2);
    expect(fake.last().item.attempt).toBe(2);
    // A fresh request starts at zero, the aggregate holds its ground.
    expect(up.getState().progress.percent).toBeGreaterThanOrEqual(percentWhilePaused);
    fake.last().resolve('ok');
    expect((await done)[0]!.status).toBe('success');
  });

  it('pause and resume are ignored where the machine forbids them', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport });
    const { accepted } = await up.add([makeFile('a', 100)]);
    const before = up.getState();
    up.pause(accepted[0]!.id);
    up.resume(accepted[0]!.id);
    up.pause('no-such-id');
    expect(up.getState()).toBe(before);
    expect(fake.calls).toHaveLength(0);
  });

  it('remove, clear and destroy abort what is in flight', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 10 });
    const { accepted } = await up.add([makeFile('a', 1), makeFile('b', 1), makeFile('c', 1)]);
    const done = up.upload();
    const [a, b] = fake.calls;
    up.remove(accepted[0]!.id);
    expect(a!.aborted).toBe(true);
    expect(up.getState().items.map((i) => i.name)).toEqual(['b', 'c']);
    up.clear();
    expect(b!.aborted).toBe(true);
    expect(fake.calls.every((c) => c.aborted)).toBe(true);
    expect(up.getState()).toMatchObject({ items: [], rejected: [], status: 'idle' });
    await done;

    await up.add([makeFile('d', 1)]);
    void up.upload();
    const listener = vi.fn();
    up.subscribe(listener);
    up.destroy();
    expect(fake.last().aborted).toBe(true);
    await up.add([makeFile('e', 1)]);
    up.retry();
    expect(listener).not.toHaveBeenCalled();
  });

  it('tells the transport why it was stopped, so a resumable one keeps or ends its upload', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 10 });
    const { accepted } = await up.add(['p', 'c', 'r', 'd'].map((name) => makeFile(name, 1)));
    const [p, c, r] = accepted.map((item) => item.id);
    void up.upload();
    up.pause(p!);
    up.cancel(c!);
    up.remove(r!);
    up.destroy();
    const reasons = Object.fromEntries(
      fake.calls.map((call) => [call.item.name, call.context.signal.reason]),
    );
    expect(reasons).toEqual({ p: 'pause', c: 'cancel', r: 'remove', d: 'destroy' });
  });

  it('autoUpload starts accepted files at once', async () => {
    const fake = fakeTransport();
    const onComplete = vi.fn();
    const up = createUploader({ transport: fake.transport, autoUpload: true, onComplete });
    await up.add([makeFile('a', 1)]);
    expect(fake.calls).toHaveLength(1);
    fake.last().resolve('ok');
    await settle();
    expect(onComplete).toHaveBeenCalledWith([expect.objectContaining({ status: 'success' })]);
  });

  it('fails clearly with neither endpoint nor transport, without retrying', async () => {
    const up = createUploader({});
    await up.add([makeFile('a', 1)]);
    const [item] = await up.upload();
    expect(item!.error?.code).toBe('missing-endpoint');
    expect(item!.attempts).toBe(1);
  });

  it('survives a transport that throws synchronously for thousands of items', async () => {
    const throwing: Transport = () => {
      throw new Error('not today');
    };
    const up = createUploader({ transport: throwing, concurrency: 1 });
    await up.add(Array.from({ length: 5000 }, (_, i) => makeFile(`f${i}`, 1)));
    const items = await up.upload();
    expect(items.every((i) => i.status === 'error' && i.error?.code === 'upload-failed')).toBe(
      true,
    );
  });

  it('setOptions merges, and a larger concurrency starts waiting items', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 1 });
    await up.add([makeFile('a', 1), makeFile('b', 1), makeFile('c', 1)]);
    void up.upload();
    expect(fake.calls).toHaveLength(1);
    up.setOptions({ concurrency: 3 });
    expect(fake.calls).toHaveLength(3);
    expect(up.getOptions()).toMatchObject({ concurrency: 3, transport: fake.transport });
  });

  it('keeps drag state in the same store', () => {
    const up = createUploader({});
    const before = up.getState();
    const drag = {
      isDragActive: true,
      isDragAccept: true,
      isDragReject: false,
      isDragUnknown: false,
    };
    up.setDragState(drag);
    const during = up.getState();
    expect(during).toMatchObject(drag);
    up.setDragState({ ...drag });
    expect(up.getState()).toBe(during);
    expect(before.isDragActive).toBe(false);
  });
});

describe('createUploader: notifications', () => {
  it('throttles listeners and always tells the final 100%', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, notifyIntervalMs: 100 });
    const seen: UploaderState[] = [];
    up.subscribe((s) => seen.push(s));
    await up.add([makeFile('a', 1000)]);
    const done = up.upload();
    const before = seen.length;
    for (let i = 1; i <= 1000; i++) fake.last().context.onProgress(i, 1000);
    fake.last().resolve('ok');
    await done;
    // A thousand events in no time: at most one more notification until the timer fires.
    expect(seen.length - before).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.at(-1)!.progress.percent).toBe(100);
    expect(seen.at(-1)!.status).toBe('done');
    const percents = seen.map((s) => s.progress.percent);
    for (let i = 1; i < percents.length; i++)
      expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
  });

  it('aggregate percent holds through an automatic retry, and is below 100 while one failed', async () => {
    vi.useFakeTimers();
    const fake = fakeTransport();
    const up = createUploader({
      transport: fake.transport,
      retry: { attempts: 2, delay: () => 100 },
    });
    await up.add([makeFile('a', 1000), makeFile('b', 1000)]);
    const done = up.upload();
    const [a, b] = fake.open() as [FakeCall, FakeCall];
    const percents: number[] = [];
    const read = () => percents.push(up.getState().progress.percent);
    a.context.onProgress(1000, 1000);
    b.context.onProgress(800, 1000);
    read();
    b.reject(new UploadHttpError(502, 'http-502', 'bad gateway'));
    await settle();
    read();
    await vi.advanceTimersByTimeAsync(100);
    const b2 = fake.last();
    expect(b2).not.toBe(b);
    read();
    b2.context.onProgress(300, 1000);
    read();
    a.resolve('ok');
    await settle();
    read();
    for (let i = 1; i < percents.length; i++)
      expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    b2.reject(new UploadHttpError(500, 'http-500', 'still broken'));
    await done;
    expect(up.getState().progress.percent).toBeLessThan(100);
    expect(up.getState().status).toBe('error');
  });

  it('replaces only the changed item object on progress', async () => {
    const fake = fakeTransport();
    const up = createUploader({ transport: fake.transport, concurrency: 1 });
    await up.add([makeFile('a', 100), makeFile('b', 100)]);
    void up.upload();
    const before = up.getState();
    fake.last().context.onProgress(50, 100);
    const after = up.getState();
    expect(after.items).not.toBe(before.items);
    expect(after.items[0]).not.toBe(before.items[0]);
    expect(after.items[1]).toBe(before.items[1]);
  });

  it('10,000 items: a progress event costs about what it costs with 100', async () => {
    const setup = async (n: number) => {
      const fake = fakeTransport();
      const up = createUploader({ transport: fake.transport, concurrency: 3 });
      up.subscribe(() => {});
      await up.add(Array.from({ length: n }, (_, i) => makeFile(`f${i}`, 1000)));
      void up.upload();
      return { up, calls: fake.open() };
    };
    // Progress comes from the items being sent (3 at once), while all n are held. Timed per
    // burst, keeping the median: a shared machine preempts some bursts, not most.
    const measure = ({ calls }: Awaited<ReturnType<typeof setup>>) => {
      const samples: number[] = [];
      for (let burst = 0; burst < 1000; burst++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 50; i++) {
          calls[i % calls.length]!.context.onProgress(((burst * 50 + i) % 999) + 1, 1000);
        }
        samples.push(Number(process.hrtime.bigint() - start));
      }
      samples.sort((a, b) => a - b);
      return samples[samples.length >> 1]!;
    };
    const small = await setup(100);
    const large = await setup(10_000);
    measure(small); // warm up
    measure(large);
    const cost = { small: measure(small), large: measure(large) };
    small.up.destroy();
    large.up.destroy();
    // O(n) work per event would make 10,000 items ~100 times slower than 100; the bound is
    // generous for a noisy shared machine.
    expect(cost.large).toBeLessThan(cost.small * 5 + 1000);
  });
});

describe('createUploader: messages', () => {
  it('rewords rejections, its own messages first, then the rules’ ones', async () => {
    const up = createUploader({
      transport: fakeTransport().transport,
      rules: {
        maxSize: 100,
        accept: 'image/*',
        messages: { 'file-too-large': 'rules: too big', 'file-invalid-type': 'rules: type' },
      },
      messages: { 'file-too-large': 'uploader: {name} over {maxSize}' },
    });
    const { rejected } = await up.add([
      makeFile('big.png', 1000, 'image/png'),
      makeFile('a.pdf', 10, 'application/pdf'),
    ]);
    expect(rejected.map((r) => r.errors[0]?.message)).toEqual([
      'uploader: big.png over 100 B',
      'rules: type',
    ]);
  });

  it('rewords the one-file refusal of multiple: false', async () => {
    const up = createUploader({
      transport: fakeTransport().transport,
      multiple: false,
      messages: (code, d) =>
        code === 'too-many-files' ? `one at most (${d.maxFiles})` : undefined,
    });
    const { rejected } = await up.add([makeFile('a', 1), makeFile('b', 1)]);
    expect(rejected.map((r) => r.errors[0]?.message)).toEqual([
      'one at most (1)',
      'one at most (1)',
    ]);
  });

  it('rewords upload errors by code, with the status and the server’s message', async () => {
    const failing: Transport = async () => {
      throw new UploadHttpError(413, 'file-too-large', 'File is larger than 1 MiB');
    };
    const up = createUploader({
      transport: failing,
      retry: false,
      messages: { 'file-too-large': '{name}: refused by the server ({status}, {message})' },
    });
    await up.add([makeFile('a.bin', 10)]);
    const [item] = await up.upload();
    expect(item?.error).toEqual({
      code: 'file-too-large',
      status: 413,
      message: 'a.bin: refused by the server (413, File is larger than 1 MiB)',
    });
  });

  it('keeps an error it has no message for', async () => {
    const up = createUploader({
      transport: async () => {
        throw UploadHttpError.network();
      },
      retry: false,
      messages: { 'file-too-large': 'x' },
    });
    await up.add([makeFile('a.bin', 10)]);
    const [item] = await up.upload();
    expect(item?.error).toEqual({
      code: 'network-error',
      message: 'The upload could not reach the server',
    });
  });
});

describe('createUploader: prepare', () => {
  it('judges and sends the file the step made, and refuses one whose step throws', async () => {
    const fake = fakeTransport();
    const up = createUploader({
      transport: fake.transport,
      rules: { maxSize: 10 },
      prepare: async (file) => {
        if (file.name === 'broken.jpg') throw new Error('undecodable');
        return file.size > 10 ? makeFile(`small-${file.name}`, 5, 'image/jpeg') : file;
      },
    });
    const big = makeFile('big.jpg', 1000, 'image/jpeg');
    const { accepted, rejected } = await up.add([big, makeFile('broken.jpg', 3)], {
      relativePaths: ['album/big.jpg', undefined],
    });
    expect(accepted.map((i) => [i.name, i.size, i.relativePath])).toEqual([
      ['small-big.jpg', 5, 'album/big.jpg'],
    ]);
    expect(rejected.map((r) => [r.file.name, r.errors[0]?.code, r.errors[0]?.message])).toEqual([
      ['broken.jpg', 'prepare-failed', 'undecodable'],
    ]);
    void up.upload();
    await settle();
    expect(fake.calls[0]?.item.file.name).toBe('small-big.jpg');
  });

  it('does not run the step for files refused as one of many', async () => {
    let ran = 0;
    const up = createUploader({
      transport: fakeTransport().transport,
      multiple: false,
      prepare: (file) => {
        ran += 1;
        return file;
      },
    });
    await up.add([makeFile('a', 1), makeFile('b', 1)]);
    expect(ran).toBe(0);
  });
});
