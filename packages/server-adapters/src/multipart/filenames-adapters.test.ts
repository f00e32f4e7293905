import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';
import { randomBoundary } from '../test-support/multipart';

// Issue 11, multipart filenames as browsers send them, and part headers past the cap.

const ADAPTERS = ALL_ADAPTERS;

/** A body with one file part whose Content-Disposition is written exactly as given. */
function rawPart(disposition: string) {
  const boundary = randomBoundary();
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${boundary}--\r\n`,
  );
  return { body, boundary, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(ADAPTERS)('%s multipart filenames', (name) => {
  let root: string;
  let app: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-names-${name}-`));
    app = await startApp(name, { options: { storage: diskStorage({ directory: root }) } });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    // The HTML form encoding: `"` as %22, CR as %0D, LF as %0A; then sanitized as ever.
    ['report%22final%22.txt', 'report_final_.txt'],
    ['two%0D%0Alines.txt', 'twolines.txt'],
    ['lower%0d%0acase.txt', 'lowercase.txt'],
    // Any other escape is what the user typed.
    ['100%41.txt', '100%41.txt'],
    ['50%25 off.txt', '50%25 off.txt'],
  ])('a browser filename %s is stored as %s', async (sent, stored) => {
    const answer = await postMultipart(
      `${app.base}/upload`,
      rawPart(`form-data; name="file"; filename="${sent}"`),
    );
    expect(answer.status).toBe(201);
    expect(answer.body.files?.[0]?.name).toBe(stored);
  });

  it('a part header over the cap is 400 malformed-request, not a cut name that loses its extension', async () => {
    const before = await readdir(root);
    const long = `${'n'.repeat(17 * 1024)}.png`;
    const answer = await postMultipart(
      `${app.base}/upload`,
      rawPart(`form-data; name="file"; filename="${long}"`),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('malformed-request');
    expect(await readdir(root)).toEqual(before);
    // Long, but within the cap: kept, and the sanitizer keeps its extension.
    const fits = await postMultipart(
      `${app.base}/upload`,
      rawPart(`form-data; name="file"; filename="${'n'.repeat(15 * 1024)}.png"`),
    );
    expect(fits.status).toBe(201);
    expect(fits.body.files?.[0]?.name).toMatch(/^n+\.png$/);
  });
});
