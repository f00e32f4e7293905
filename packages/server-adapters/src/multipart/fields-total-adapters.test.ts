import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import type { Part } from '../test-support/multipart';

// Issue 11, amplification: a request's text fields are kept with each of its files, so
// their weight times the number of files is what a request may make the store keep.

const ADAPTERS = ALL_ADAPTERS;
const KiB = 1024;
const MiB = 1024 * KiB;

/** Bytes of every file's metadata (`<id>.json`) in the store's folder. */
async function metadataBytes(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory)) {
    if (entry.endsWith('.json')) total += (await stat(join(directory, entry))).size;
  }
  return total;
}

function request(fieldCount: number, fieldSize: number, fileCount: number): Part[] {
  const fields = Array.from({ length: fieldCount }, (_, i) => ({
    name: `f${i}`,
    data: 'x'.repeat(fieldSize),
  }));
  const files = Array.from({ length: fileCount }, (_, i) => ({
    name: 'file',
    filename: `${i}.txt`,
    type: 'text/plain',
    data: 'tiny',
  }));
  return [...fields, ...files];
}

describe.each(ADAPTERS)('%s text fields', (name) => {
  let root: string;
  let app: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-fields-${name}-`));
    app = await startApp(name, { options: { storage: diskStorage({ directory: root }) } });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("text fields are not multiplied into every file's metadata: 1.2 MiB of fields with 20 files is 413 and stores nothing", async () => {
    const answer = await postMultipart(`${app.base}/upload`, request(20, 60 * KiB, 20));
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('request-too-large');
    // Today's code kept 20 copies: 24 MiB of JSON out of a 1.2 MiB request.
    expect(await metadataBytes(root)).toBe(0);
  });

  it('fields within the total are kept with each file, and the metadata on disk stays within fieldsTotalSize', async () => {
    const answer = await postMultipart(`${app.base}/upload`, request(10, 4 * KiB, 20));
    expect(answer.status).toBe(201);
    expect(answer.body.files).toHaveLength(20);
    expect(Object.keys(answer.body.fields ?? {})).toHaveLength(10);
    const bytes = await metadataBytes(root);
    expect(bytes).toBeGreaterThan(20 * 40 * KiB);
    expect(bytes).toBeLessThan(1 * MiB + 20 * KiB);
  });

  it('a lower limits.fieldsTotalSize is honoured with a single file too', async () => {
    const strict = await startApp(name, {
      options: {
        storage: diskStorage({ directory: join(root, 'strict') }),
        limits: { fieldsTotalSize: 8 * KiB },
      },
    });
    try {
      const over = await postMultipart(`${strict.base}/upload`, request(3, 3 * KiB, 1));
      expect(over.status).toBe(413);
      const within = await postMultipart(`${strict.base}/upload`, request(2, 3 * KiB, 1));
      expect(within.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});
