import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUploader } from '../upload/uploader';
import { fetchTransport } from './fetch-transport';

const endpoint = 'https://uploads.test/api/files/upload';
const server = setupServer();
/** Stalled handlers still waiting, released after each test so nothing hangs. */
const stalled = new Set<() => void>();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  for (const release of stalled) release();
  stalled.clear();
  server.resetHandlers();
});
afterAll(() => server.close());

function uploaderFor(retry: { attempts: number } | false = { attempts: 3 }) {
  return createUploader({
    transport: fetchTransport({ endpoint }),
    retry: retry && { ...retry, delay: () => 5 },
    metadata: { album: 'summer' },
  });
}

describe('fetchTransport edge cases (msw)', () => {
  it('a 500 then a success: retried through the uploader, the form intact each time', async () => {
    const seen: { album: FormDataEntryValue | null; file: string }[] = [];
    server.use(
      http.post(endpoint, async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file') as File;
        seen.push({ album: form.get('album'), file: `${file.name}:${await file.text()}` });
        if (seen.length === 1) {
          return HttpResponse.json(
            { error: { code: 'storage-error', message: 'Storage failed' } },
            { status: 500 },
          );
        }
        return HttpResponse.json({ files: [{ id: 'f1' }] }, { status: 201 });
      }),
    );
    const up = uploaderFor();
    await up.add([new File(['hello'], 'a.txt', { type: 'text/plain' })]);
    const [item] = await up.upload();
    expect(seen).toEqual([
      { album: 'summer', file: 'a.txt:hello' },
      { album: 'summer', file: 'a.txt:hello' },
    ]);
    expect(item).toMatchObject({
      status: 'success',
      attempts: 2,
      response: { files: [{ id: 'f1' }] },
    });
  });

  it('a 4xx is not retried, and the server error code is kept', async () => {
    let calls = 0;
    server.use(
      http.post(endpoint, () => {
        calls++;
        return HttpResponse.json(
          { error: { code: 'file-too-large', message: 'File is larger than 1 MB' } },
          { status: 413 },
        );
      }),
    );
    const up = uploaderFor();
    await up.add([new File(['x'], 'a.bin')]);
    const [item] = await up.upload();
    expect(calls).toBe(1);
    expect(item).toMatchObject({
      status: 'error',
      attempts: 1,
      error: { code: 'file-too-large', status: 413, message: 'File is larger than 1 MB' },
    });
  });

  it('a non-JSON error page becomes http-<status>', async () => {
    server.use(
      http.post(endpoint, () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })),
    );
    const up = uploaderFor(false);
    await up.add([new File(['x'], 'a.bin')]);
    const [item] = await up.upload();
    expect(item!.error).toMatchObject({ code: 'http-502', status: 502 });
  });

  it('a network error is retried, then reported as network-error', async () => {
    let calls = 0;
    server.use(
      http.post(endpoint, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const up = uploaderFor({ attempts: 2 });
    await up.add([new File(['x'], 'a.bin')]);
    const [item] = await up.upload();
    expect(calls).toBe(2);
    expect(item).toMatchObject({ status: 'error', attempts: 2, error: { code: 'network-error' } });
    expect(item!.error!.status).toBeUndefined();
  });

  it('a stalled request is cancelled: its signal aborts and the item is cancelled', async () => {
    let requestSignal: AbortSignal | undefined;
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    server.use(
      http.post(endpoint, async ({ request }) => {
        requestSignal = request.signal;
        arrived();
        await new Promise<void>((resolve) => {
          stalled.add(resolve);
          request.signal.addEventListener('abort', () => resolve());
        });
        return HttpResponse.json({ late: true }, { status: 201 });
      }),
    );
    const up = uploaderFor();
    const { accepted } = await up.add([new File(['x'], 'a.bin')]);
    const done = up.upload();
    await arrival;
    up.cancel(accepted[0]!.id);
    const [item] = await done;
    expect(item).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(item!.response).toBeUndefined();
    expect(requestSignal?.aborted).toBe(true);
  });
});
