import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryUrlStore } from '../tus/tus-url-store';
import { createUploader } from '../upload/uploader';
import { s3Transport } from './s3-transport';

// s3Transport's edge cases, the app server and the bucket played by msw.

const endpoint = 'https://app.test/api/files';
const bucket = 'https://bucket.test/files';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const PART = 4;
/** 10 bytes: parts of 4, 4 and 2. */
const file = () =>
  new File(['0123456789'], 'a.bin', { type: 'application/octet-stream', lastModified: 1 });
const fingerprint = `s3::a.bin::10::application/octet-stream::1::${endpoint}`;

interface Log {
  calls: string[];
  puts: number[];
}

/** A well-behaved app server and bucket; `overrides` go first. */
function serve(log: Log, ...overrides: Parameters<typeof server.use>) {
  let created = 0;
  server.use(
    ...overrides,
    http.post(`${endpoint}/direct`, () => {
      log.calls.push('create');
      created++;
      return HttpResponse.json(
        { id: `u${created}`, kind: 'multipart', partSize: PART, partCount: 3 },
        { status: 201 },
      );
    }),
    http.post(`${endpoint}/direct/:id/parts`, async ({ request, params }) => {
      const { partNumbers } = (await request.json()) as { partNumbers: number[] };
      log.calls.push(`sign ${params.id} ${partNumbers.join(',')}`);
      return HttpResponse.json({
        parts: partNumbers.map((n) => ({ partNumber: n, url: `${bucket}/${params.id}?part=${n}` })),
      });
    }),
    http.put(`${bucket}/:id`, async ({ request }) => {
      const part = Number(new URL(request.url).searchParams.get('part'));
      await request.arrayBuffer();
      log.puts.push(part);
      return new HttpResponse(null, { headers: { ETag: `"e${part}"` } });
    }),
    http.post(`${endpoint}/direct/:id/complete`, async ({ request, params }) => {
      log.calls.push(`complete ${params.id} ${JSON.stringify(await request.json())}`);
      return HttpResponse.json({ files: [{ id: params.id }], fields: {} }, { status: 201 });
    }),
    http.delete(`${endpoint}/direct/:id`, ({ params }) => {
      log.calls.push(`abort ${params.id}`);
      return new HttpResponse(null, { status: 204 });
    }),
  );
}

/** `POST /direct` answering one presigned PUT (`p1`, `p2`, …), as for a small file. */
function putCreation(log: Log) {
  let created = 0;
  return http.post(`${endpoint}/direct`, () => {
    log.calls.push('create');
    created++;
    return HttpResponse.json(
      {
        id: `p${created}`,
        kind: 'put',
        url: `${bucket}/p${created}`,
        headers: { 'Content-Type': 'application/octet-stream' },
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
      { status: 201 },
    );
  });
}

const ALL_PARTS =
  '{"parts":[{"partNumber":1,"etag":"\\"e1\\""},{"partNumber":2,"etag":"\\"e2\\""},{"partNumber":3,"etag":"\\"e3\\""}]}';

async function uploadOnce(options: Partial<Parameters<typeof s3Transport>[0]> = {}) {
  const uploader = createUploader({
    transport: s3Transport({ endpoint, retryDelays: [1, 1], request: 'fetch', ...options }),
  });
  await uploader.add([file()]);
  const [item] = await uploader.upload();
  uploader.destroy();
  return item!;
}

describe('s3Transport edge cases (msw)', () => {
  it('a part that fails with no answer is sent again alone', async () => {
    const log: Log = { calls: [], puts: [] };
    let failed = false;
    serve(
      log,
      http.put(`${bucket}/:id`, ({ request }) => {
        if (failed || new URL(request.url).searchParams.get('part') !== '2') return undefined;
        failed = true;
        return HttpResponse.error();
      }),
    );
    const item = await uploadOnce({ partConcurrency: 1 });
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'u1' }] } });
    // Part 2's URL is signed again for its second try.
    expect(log.calls).toEqual(['create', 'sign u1 1,2,3', 'sign u1 2', `complete u1 ${ALL_PARTS}`]);
    expect(log.puts).toEqual([1, 2, 3]);
  });

  it('a remembered upload the server no longer knows (404 on list) starts over', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    urlStore.set(fingerprint, JSON.stringify({ id: 'gone', kind: 'multipart' }));
    serve(
      log,
      http.get(`${endpoint}/direct/gone/parts`, () => {
        log.calls.push('list gone');
        return HttpResponse.json({ error: { code: 'not-found', message: 'No' } }, { status: 404 });
      }),
      http.post(`${endpoint}/direct/gone/complete`, () => {
        log.calls.push('complete gone');
        return HttpResponse.json({ error: { code: 'not-found', message: 'No' } }, { status: 404 });
      }),
    );
    const item = await uploadOnce({ urlStore });
    expect(item.status).toBe('success');
    // Asked to complete first: a completed upload is not listed either (see the next test).
    expect(log.calls.slice(0, 4)).toEqual([
      'list gone',
      'complete gone',
      'create',
      'sign u1 1,2,3',
    ]);
    expect(log.puts.sort()).toEqual([1, 2, 3]);
    expect(urlStore.get(fingerprint)).toBeNull();
  });

  it('a remembered upload completed before (its answer lost) gets the replayed 201, nothing sent', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    urlStore.set(fingerprint, JSON.stringify({ id: 'done', kind: 'multipart' }));
    serve(
      log,
      http.get(`${endpoint}/direct/done/parts`, () => {
        log.calls.push('list done');
        return HttpResponse.json(
          { error: { code: 'not-found', message: 'The upload is complete' } },
          { status: 404 },
        );
      }),
    );
    const item = await uploadOnce({ urlStore });
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'done' }] } });
    expect(log.calls).toEqual(['list done', 'complete done {}']);
    expect(log.puts).toEqual([]);
    expect(urlStore.get(fingerprint)).toBeNull();
  });

  it('a remembered PUT completed before (its answer lost) gets the replayed 201, nothing created or sent', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    urlStore.set(fingerprint, JSON.stringify({ id: 'done', kind: 'put' }));
    serve(log, putCreation(log));
    const item = await uploadOnce({ urlStore });
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'done' }] } });
    // A PUT has no parts to list: the completion is asked for at once.
    expect(log).toEqual({ calls: ['complete done {}'], puts: [] });
    expect(urlStore.get(fingerprint)).toBeNull();
  });

  it('a remembered PUT starts over on a 404 (gone, expired) and on a 400 (bytes never arrived: aborted)', async () => {
    const cases: [status: number, code: string, calls: string[]][] = [
      [404, 'not-found', ['complete old', 'create', 'complete p1 {}']],
      [400, 'malformed-request', ['complete old', 'abort old', 'create', 'complete p1 {}']],
    ];
    for (const [status, code, calls] of cases) {
      const log: Log = { calls: [], puts: [] };
      const urlStore = memoryUrlStore();
      urlStore.set(fingerprint, JSON.stringify({ id: 'old', kind: 'put' }));
      serve(
        log,
        putCreation(log),
        http.post(`${endpoint}/direct/old/complete`, () => {
          log.calls.push('complete old');
          return HttpResponse.json({ error: { code, message: 'No' } }, { status });
        }),
      );
      const item = await uploadOnce({ urlStore });
      expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'p1' }] } });
      expect(log).toEqual({ calls, puts: [0] });
      expect(urlStore.get(fingerprint)).toBeNull();
      server.resetHandlers();
    }
  });

  it('a PUT in the bucket whose completion answers were all lost: retry() asks again, sends nothing', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    let lost = 0;
    serve(
      log,
      putCreation(log),
      http.post(`${endpoint}/direct/p1/complete`, () => {
        if (lost === 2) return undefined;
        lost++;
        log.calls.push('complete p1 (answer lost)');
        return HttpResponse.error();
      }),
    );
    const uploader = createUploader({
      transport: s3Transport({ endpoint, retryDelays: [1], request: 'fetch', urlStore }),
    });
    await uploader.add([file()]);
    const [failed] = await uploader.upload();
    expect(failed).toMatchObject({ status: 'error', error: { code: 'network-error' } });
    expect(JSON.parse(urlStore.get(fingerprint) as string)).toEqual({ id: 'p1', kind: 'put' });
    uploader.retry(failed!.id);
    const [item] = await uploader.upload();
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'p1' }] } });
    expect(log.calls).toEqual([
      'create',
      'complete p1 (answer lost)',
      'complete p1 (answer lost)',
      'complete p1 {}',
    ]);
    expect(log.puts).toEqual([0]);
    expect(urlStore.get(fingerprint)).toBeNull();
    uploader.destroy();
  });

  it('a PUT is remembered while it goes; cancel aborts it and forgets it', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    const uploader = createUploader({
      transport: s3Transport({ endpoint, retryDelays: [1], request: 'fetch', urlStore }),
    });
    const { accepted } = await uploader.add([file()]);
    const seen: (string | null | undefined)[] = [];
    serve(
      log,
      putCreation(log),
      http.put(`${bucket}/p1`, async () => {
        seen.push(await urlStore.get(fingerprint));
        uploader.cancel(accepted[0]!.id);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return new HttpResponse(null, { headers: { ETag: '"whole"' } });
      }),
    );
    const [item] = await uploader.upload();
    expect(item?.status).toBe('cancelled');
    expect(seen).toEqual(['{"id":"p1","kind":"put"}']);
    await expect.poll(() => log.calls).toEqual(['create', 'abort p1']);
    expect(urlStore.get(fingerprint)).toBeNull();
    uploader.destroy();
  });

  it('a remembered upload sends only the parts not listed, and one listed at a wrong size', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    urlStore.set(fingerprint, JSON.stringify({ id: 'old', kind: 'multipart' }));
    serve(
      log,
      http.get(`${endpoint}/direct/old/parts`, () => {
        log.calls.push('list old');
        return HttpResponse.json({
          kind: 'multipart',
          partSize: PART,
          partCount: 3,
          parts: [
            { partNumber: 1, size: 4, etag: '"e1"' },
            { partNumber: 3, size: 1, etag: '"short"' },
          ],
        });
      }),
    );
    const item = await uploadOnce({ urlStore });
    expect(item.status).toBe('success');
    expect(log.calls).toEqual(['list old', 'sign old 2,3', `complete old ${ALL_PARTS}`]);
    expect(log.puts.sort()).toEqual([2, 3]);
  });

  it('a refusal at signing is the item error, not retried, nothing sent', async () => {
    const log: Log = { calls: [], puts: [] };
    serve(
      log,
      http.post(`${endpoint}/direct`, () => {
        log.calls.push('refuse');
        return HttpResponse.json(
          { error: { code: 'file-too-large', message: 'a.bin is larger than 5 B' } },
          { status: 413 },
        );
      }),
    );
    const item = await uploadOnce();
    expect(item).toMatchObject({ status: 'error', error: { code: 'file-too-large' } });
    expect(log).toEqual({ calls: ['refuse'], puts: [] });
  });

  it('a file refused at completion forgets its upload; a 5xx there is retried', async () => {
    const log: Log = { calls: [], puts: [] };
    const urlStore = memoryUrlStore();
    let completions = 0;
    serve(
      log,
      http.post(`${endpoint}/direct/:id/complete`, () => {
        completions++;
        if (completions === 1) return HttpResponse.json({}, { status: 503 });
        return HttpResponse.json(
          { error: { code: 'file-invalid-type', message: 'a.bin is not an image/png' } },
          { status: 415 },
        );
      }),
    );
    const item = await uploadOnce({ urlStore });
    expect(item).toMatchObject({ status: 'error', error: { code: 'file-invalid-type' } });
    expect(completions).toBe(2);
    expect(urlStore.get(fingerprint)).toBeNull();
  });

  it('a 400 at completion keeps the upload: retry() lists it and completes without a new one', async () => {
    const log: Log = { calls: [], puts: [] };
    let completions = 0;
    serve(
      log,
      http.post(`${endpoint}/direct/:id/complete`, () => {
        completions++;
        if (completions > 1) return undefined;
        return HttpResponse.json(
          { error: { code: 'malformed-request', message: 'Part 2 is missing' } },
          { status: 400 },
        );
      }),
      http.get(`${endpoint}/direct/u1/parts`, () => {
        log.calls.push('list u1');
        return HttpResponse.json({
          kind: 'multipart',
          partSize: PART,
          partCount: 3,
          parts: [
            { partNumber: 1, size: 4, etag: '"e1"' },
            { partNumber: 3, size: 2, etag: '"e3"' },
          ],
        });
      }),
    );
    const uploader = createUploader({
      transport: s3Transport({ endpoint, retryDelays: [1], urlStore: memoryUrlStore() }),
    });
    await uploader.add([file()]);
    const [failed] = await uploader.upload();
    expect(failed).toMatchObject({ status: 'error', error: { code: 'malformed-request' } });
    uploader.retry(failed!.id);
    const [item] = await uploader.upload();
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 'u1' }] } });
    expect(log.calls.filter((call) => call === 'create')).toHaveLength(1);
    expect(log.calls).toContain('list u1');
    expect(log.puts.sort()).toEqual([1, 2, 2, 3]);
    uploader.destroy();
  });

  it('odd answers fail with malformed-answer or missing-etag, without retrying', async () => {
    const cases: [string, Parameters<typeof server.use>[0], string][] = [
      [
        'create without an id',
        http.post(`${endpoint}/direct`, () => HttpResponse.json({ kind: 'put' }, { status: 201 })),
        'malformed-answer',
      ],
      [
        'create of an unknown kind',
        http.post(`${endpoint}/direct`, () =>
          HttpResponse.json({ id: 'x', kind: 'post' }, { status: 201 }),
        ),
        'malformed-answer',
      ],
      [
        'signing that leaves a part out',
        http.post(`${endpoint}/direct/:id/parts`, () => HttpResponse.json({ parts: [] })),
        'malformed-answer',
      ],
      [
        'a bucket that does not expose ETag',
        http.put(`${bucket}/:id`, () => new HttpResponse(null, { status: 200 })),
        'missing-etag',
      ],
    ];
    for (const [, override, code] of cases) {
      const log: Log = { calls: [], puts: [] };
      serve(log, override);
      const item = await uploadOnce();
      expect(item).toMatchObject({ status: 'error', attempts: 1, error: { code } });
      expect(log.calls.filter((call) => call === 'create').length).toBeLessThanOrEqual(1);
      server.resetHandlers();
    }
  });

  it('a small file is one PUT with exactly the signed headers', async () => {
    const seen: { type: string | null; cookie: string | null }[] = [];
    server.use(
      http.post(`${endpoint}/direct`, () =>
        HttpResponse.json(
          {
            id: 's1',
            kind: 'put',
            url: `${bucket}/s1?signed`,
            headers: { 'Content-Type': 'image/png' },
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
          },
          { status: 201 },
        ),
      ),
      http.put(`${bucket}/s1`, async ({ request }) => {
        seen.push({
          type: request.headers.get('content-type'),
          cookie: request.headers.get('x-app'),
        });
        await request.arrayBuffer();
        return new HttpResponse(null, { headers: { ETag: '"whole"' } });
      }),
      http.post(`${endpoint}/direct/s1/complete`, async ({ request }) => {
        expect(await request.json()).toEqual({});
        return HttpResponse.json({ files: [{ id: 's1' }], fields: {} }, { status: 201 });
      }),
    );
    const item = await uploadOnce({ headers: { 'x-app': 'token' } });
    expect(item).toMatchObject({ status: 'success', response: { files: [{ id: 's1' }] } });
    // The app's headers go to the app server, never to the bucket.
    expect(seen).toEqual([{ type: 'image/png', cookie: null }]);
  });
});
