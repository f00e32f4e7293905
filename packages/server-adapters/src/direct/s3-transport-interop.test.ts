import { memoryUrlStore, s3Transport } from '@updown/core';
import { describe, expect, it } from 'vitest';
import { directApps } from './test-support/direct-apps';
import { patternBytes } from './test-support/direct-client';

// The core's s3Transport against the real direct routes (the Node flow: fetch to the app
// server, streamed fetch PUTs to s3rver): what each side's own tests check against a stand-in
// of the other, end to end.
const MiB = 1024 * 1024;
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
  patternBytes(4000),
]);

const kit = directApps('interop');
const { setup } = kit;
let n = 0;

/** A fetch that counts the PUTs to the bucket (by part number, 0 for a whole-file PUT). */
function countingFetch(endpoint: string) {
  const puts: number[] = [];
  const counted: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(endpoint) && init?.method === 'PUT') {
      puts.push(Number(new URL(url).searchParams.get('partNumber') ?? 0));
    }
    return fetch(input, init);
  };
  return { puts, fetch: counted };
}

function item(bytes: Uint8Array, name: string, type: string) {
  const file = new File([new Uint8Array(bytes)], name, { type });
  return { id: `item-${++n}`, file, name, size: file.size, type, attempt: 1 };
}

type Answer = { files: { id: string; size: number; type: string }[] };

/** A urlStore over a Map the test can look into: what a page keeps across a reload. */
function mapStore() {
  const remembered = new Map<string, string>();
  const urlStore = {
    get: (key: string) => remembered.get(key) ?? null,
    set: (key: string, value: string) => void remembered.set(key, value),
    remove: (key: string) => void remembered.delete(key),
  };
  return { remembered, urlStore };
}

const context = () => ({
  signal: new AbortController().signal,
  onProgress: () => {},
  metadata: {},
});

/** What one file leaves under the prefix: its bytes, its metadata, its completed record. */
const oneFile = (prefix: string, id: string) =>
  [`${prefix}${id}`, `${prefix}${id}.json`, `${prefix}.direct/${id}.json`].sort();

/**
 * A fetch that counts the creations and the PUTs, and can cut the link: `cut.put` fails
 * every PUT to the bucket before it leaves (the page closed before its bytes went), and
 * `cut.complete` loses every answer to a completion the server did get (kept in `lost`).
 */
function cuttingFetch(base: string) {
  const counting = countingFetch(kit.s3.endpoint);
  const creates: string[] = [];
  const lost: { status: number; body: unknown }[] = [];
  const cut = { put: false, complete: false };
  const cutting: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url === `${base}/direct`) creates.push(url);
    if (cut.put && url.startsWith(kit.s3.endpoint)) throw new TypeError('fetch failed');
    const answer = await counting.fetch(input, init);
    if (cut.complete && url.endsWith('/complete')) {
      lost.push({ status: answer.status, body: await answer.json() });
      throw new TypeError('fetch failed');
    }
    return answer;
  };
  return { creates, puts: counting.puts, lost, cut, fetch: cutting };
}

describe.each(['express', 'fastify'] as const)('s3Transport through %s', (name) => {
  it('sends a small file in one PUT and a large one in parts, byte-true progress to the end', async () => {
    const s = await setup(name);
    const counting = countingFetch(kit.s3.endpoint);
    const send = s3Transport<Answer>({
      endpoint: s.app.base,
      retryDelays: [0],
      fetch: counting.fetch,
    });
    const small = patternBytes(3000, 1);
    const one = await send(item(small, 'small.txt', 'text/plain'), {
      signal: new AbortController().signal,
      onProgress: () => {},
      metadata: {},
    });
    expect(one.files[0]).toMatchObject({ size: 3000, type: 'text/plain' });
    const large = patternBytes(11 * MiB, 2);
    const seen: number[] = [];
    const big = await send(item(large, 'large.bin', 'application/octet-stream'), {
      signal: new AbortController().signal,
      onProgress: (loaded) => seen.push(loaded),
      metadata: {},
    });
    expect(seen.at(-1)).toBe(large.length);
    expect([...counting.puts].sort()).toEqual([0, 1, 2, 3]);
    const id = big.files[0]?.id ?? '';
    const back = Buffer.from(await (await fetch(`${s.app.base}/${id}`)).arrayBuffer());
    expect(back.equals(large)).toBe(true);
  });

  it('resumes a paused upload from the parts the bucket lists, sending only the missing ones', async () => {
    const s = await setup(name);
    const counting = countingFetch(kit.s3.endpoint);
    const urlStore = memoryUrlStore();
    const options = { endpoint: s.app.base, retryDelays: [0], urlStore, partConcurrency: 1 };
    const bytes = patternBytes(11 * MiB, 3);
    const it1 = item(bytes, 'paused.bin', 'application/octet-stream');
    const pause = new AbortController();
    const first = s3Transport<Answer>({ ...options, fetch: counting.fetch })(it1, {
      signal: pause.signal,
      onProgress: (loaded) => {
        if (loaded > 5 * MiB) pause.abort('pause');
      },
      metadata: {},
    });
    await expect(first).rejects.toThrow();
    const before = counting.puts.length;
    expect(before).toBeGreaterThanOrEqual(1);
    // A new transport, as after a reload: only the store remembers the upload.
    const done = await s3Transport<Answer>({ ...options, fetch: counting.fetch })(
      { ...it1, id: 'after-reload' },
      { signal: new AbortController().signal, onProgress: () => {}, metadata: {} },
    );
    expect(done.files[0]?.size).toBe(bytes.length);
    expect(counting.puts.slice(before)).not.toContain(1);
    expect(counting.puts.filter((p) => p === 1)).toHaveLength(1);
  });

  it('a completion whose answer was lost is not published twice: after a reload it replays', async () => {
    const s = await setup(name);
    const counting = countingFetch(kit.s3.endpoint);
    const creates: string[] = [];
    let lose = true;
    // The server completes the upload, then the answer never arrives (the link drops), on
    // every retry; the page is reloaded once the link is back.
    const flaky: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (init?.method === 'POST' && url === `${s.app.base}/direct`) creates.push(url);
      const answer = await counting.fetch(input, init);
      if (lose && url.endsWith('/complete')) throw new TypeError('fetch failed');
      return answer;
    };
    const remembered = new Map<string, string>();
    const urlStore = {
      get: (key: string) => remembered.get(key) ?? null,
      set: (key: string, value: string) => void remembered.set(key, value),
      remove: (key: string) => void remembered.delete(key),
    };
    const options = { endpoint: s.app.base, retryDelays: [0], urlStore, fetch: flaky };
    const bytes = patternBytes(11 * MiB, 5);
    const lost = item(bytes, 'lost.bin', 'application/octet-stream');
    const context = () => ({
      signal: new AbortController().signal,
      onProgress: () => {},
      metadata: {},
    });
    await expect(s3Transport<Answer>(options)(lost, context())).rejects.toThrow('fetch failed');
    const sent = counting.puts.length;
    lose = false;
    const done = await s3Transport<Answer>(options)({ ...lost, id: 'after-reload' }, context());
    expect(done.files[0]?.size).toBe(bytes.length);
    expect(creates).toHaveLength(1);
    expect(counting.puts).toHaveLength(sent);
    const back = Buffer.from(
      await (await fetch(`${s.app.base}/${done.files[0]?.id}`)).arrayBuffer(),
    );
    expect(back.equals(bytes)).toBe(true);
    // Forgotten once answered: a third try would be a new upload.
    expect(remembered.size).toBe(0);
  });

  it('a small file whose completion answer was lost is not sent or created again: after a reload the 201 replays', async () => {
    const s = await setup(name);
    const link = cuttingFetch(s.app.base);
    const { remembered, urlStore } = mapStore();
    const options = { endpoint: s.app.base, retryDelays: [0], urlStore, fetch: link.fetch };
    const bytes = patternBytes(3000, 6);
    const small = item(bytes, 'lost.txt', 'text/plain');
    link.cut.complete = true;
    await expect(s3Transport<Answer>(options)(small, context())).rejects.toThrow('fetch failed');
    // The server completed it (and answered the retry the same), the client heard nothing.
    expect(link.lost).toHaveLength(2);
    expect(link.lost[0]).toMatchObject({ status: 201, body: { files: [{ size: 3000 }] } });
    expect(link.lost[1]).toEqual(link.lost[0]);
    expect(remembered.size).toBe(1);
    link.cut.complete = false;
    // A new transport, as after a reload: only the store remembers the upload.
    const done = await s3Transport<Answer>(options)({ ...small, id: 'after-reload' }, context());
    expect(done).toEqual(link.lost[0]?.body);
    expect(link.creates).toHaveLength(1);
    expect(link.puts).toEqual([0]);
    const id = done.files[0]?.id ?? '';
    expect((await s.leftovers()).sort()).toEqual(oneFile(s.prefix, id));
    const back = Buffer.from(await (await fetch(`${s.app.base}/${id}`)).arrayBuffer());
    expect(back.equals(bytes)).toBe(true);
    expect(remembered.size).toBe(0);
  });

  it('a small file whose bytes never reached the bucket starts over after a reload: the old upload aborted', async () => {
    const s = await setup(name);
    const link = cuttingFetch(s.app.base);
    const { remembered, urlStore } = mapStore();
    const options = { endpoint: s.app.base, retryDelays: [0], urlStore, fetch: link.fetch };
    const bytes = patternBytes(3000, 7);
    const small = item(bytes, 'never.txt', 'text/plain');
    link.cut.put = true;
    await expect(s3Transport<Answer>(options)(small, context())).rejects.toThrow('fetch failed');
    expect(remembered.size).toBe(1);
    link.cut.put = false;
    const done = await s3Transport<Answer>(options)({ ...small, id: 'after-reload' }, context());
    expect(done.files[0]?.size).toBe(3000);
    expect(link.creates).toHaveLength(2);
    expect(link.puts).toEqual([0]);
    // The first upload (answered 400 at completion: nothing in the bucket) is gone.
    expect((await s.leftovers()).sort()).toEqual(oneFile(s.prefix, done.files[0]?.id ?? ''));
    expect(remembered.size).toBe(0);
  });

  it('cancel aborts the multipart upload: nothing left in the bucket', async () => {
    const s = await setup(name);
    const cancel = new AbortController();
    const bytes = patternBytes(11 * MiB, 4);
    const sending = s3Transport<Answer>({ endpoint: s.app.base, retryDelays: [0] })(
      item(bytes, 'c.bin', 'application/octet-stream'),
      {
        signal: cancel.signal,
        onProgress: (loaded) => {
          if (loaded > 0) cancel.abort('cancel');
        },
        metadata: {},
      },
    );
    await expect(sending).rejects.toThrow();
    await expect.poll(s.leftovers, { timeout: 5_000 }).toEqual([]);
  });

  it('a declared PNG of EXE bytes is refused at completion (415) and deleted', async () => {
    const s = await setup(name, { sniff: true, rules: { accept: 'image/png' } });
    const sending = s3Transport<Answer>({ endpoint: s.app.base, retryDelays: [0] })(
      item(EXE, 'photo.png', 'image/png'),
      { signal: new AbortController().signal, onProgress: () => {}, metadata: {} },
    );
    await expect(sending).rejects.toMatchObject({ status: 415, code: 'file-invalid-type' });
    expect(await s.leftovers()).toEqual([]);
  });
});

describe('s3Transport and a remembered small file past its expiry', () => {
  it('starts over (404 at completion): one file, nothing of the expired upload left', async () => {
    let clock = Date.now();
    const served = await kit.serve({ direct: { expirationMs: 60_000, now: () => clock } });
    const link = cuttingFetch(served.base);
    const { remembered, urlStore } = mapStore();
    const options = { endpoint: served.base, retryDelays: [0], urlStore, fetch: link.fetch };
    const bytes = patternBytes(3000, 8);
    const small = item(bytes, 'late.txt', 'text/plain');
    link.cut.put = true;
    await expect(s3Transport<Answer>(options)(small, context())).rejects.toThrow('fetch failed');
    const [stored] = [...remembered.values()];
    const old = (JSON.parse(stored ?? '{}') as { id: string }).id;
    link.cut.put = false;
    clock += 61_000;
    const done = await s3Transport<Answer>(options)({ ...small, id: 'after-reload' }, context());
    expect(done.files[0]?.size).toBe(3000);
    expect(done.files[0]?.id).not.toBe(old);
    expect(link.creates).toHaveLength(2);
    expect((await kit.leftovers(served.prefix)).sort()).toEqual(
      oneFile(served.prefix, done.files[0]?.id ?? ''),
    );
    expect(remembered.size).toBe(0);
  });
});
