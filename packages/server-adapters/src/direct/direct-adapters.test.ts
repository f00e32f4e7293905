import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createUploadHandler } from '../handler/create-upload-handler';
import { HandlerError } from '../handler/errors';
import type { HandlerContext } from '../handler/handler-types';
import { createFileId } from '../storage/file-id';
import { memoryStorage } from '../storage/memory-storage';
import { ALL_ADAPTERS, headerOf, type RunningApp, type TableParts } from '../test-support/apps';
import { directApps } from './test-support/direct-apps';
import {
  type Created,
  directClient,
  type MultipartCreated,
  type PutCreated,
  patternBytes,
  putTo,
  sendParts,
  sha256,
} from './test-support/direct-client';

// Direct-to-bucket uploads through each adapter against s3rver: the app server signs and
// checks, the test's fetch sends the bytes to the presigned URLs, as a browser would.
const MiB = 1024 * 1024;
/** The bytes of a Windows executable's header: what a `.png` must not be. */
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
  patternBytes(4000),
]);

/** A 1x1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const kit = directApps('direct');
const { setup, leftovers } = kit;

async function download(app: RunningApp, id: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${app.base}/${id}`);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe.each(ALL_ADAPTERS)('direct uploads on %s', (name) => {
  it('a small file: one presigned PUT, completed, served at GET /:id, nothing pending', async () => {
    const s = await setup(name);
    const bytes = patternBytes(1000);
    const created = await s.client.create({
      name: 'notes.txt',
      size: bytes.length,
      type: 'text/plain',
      fields: { album: 'holiday' },
    });
    expect(created.status).toBe(201);
    const put = created.body as PutCreated;
    expect(put).toMatchObject({ kind: 'put', headers: { 'Content-Type': 'text/plain' } });
    expect(put.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Date(put.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(put.url).not.toContain('x-amz-checksum');
    // Real S3 refuses other bytes than declared (s3rver does not check signatures).
    expect(new URL(put.url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
    expect((await putTo(put.url, bytes, put.headers)).status).toBe(200);
    const done = await s.client.complete(put.id);
    expect(done.status).toBe(201);
    expect(done.body).toEqual({
      files: [
        {
          id: put.id,
          name: 'notes.txt',
          size: 1000,
          type: 'text/plain',
          sha256: '',
          url: `/api/files/${put.id}`,
        },
      ],
      fields: { album: 'holiday' },
    });
    const back = await download(s.app, put.id);
    expect(back.status).toBe(200);
    expect(back.bytes.equals(bytes)).toBe(true);
    // The file, its metadata, and the completed record (until the upload's expiry).
    expect((await s.leftovers()).sort()).toEqual(
      [
        `${s.prefix}.direct/${put.id}.json`,
        `${s.prefix}${put.id}`,
        `${s.prefix}${put.id}.json`,
      ].sort(),
    );
    // Finished: nothing pending to list, and a completion asked again answers the same.
    expect((await s.client.listParts(put.id)).status).toBe(404);
    expect(await s.client.complete(put.id)).toEqual(done);
  });

  it('a large file: a multipart upload, parts signed on demand, sha256 verified', async () => {
    const s = await setup(name, { onUploaded: () => {} });
    const bytes = patternBytes(11 * MiB + 5, 2);
    const created = await s.client.create({
      name: 'big.bin',
      size: bytes.length,
      type: 'application/octet-stream',
      sha256: sha256(bytes),
    });
    expect(created.status).toBe(201);
    const multipart = created.body as MultipartCreated;
    expect(multipart).toMatchObject({ kind: 'multipart', partSize: 5 * MiB, partCount: 3 });
    const parts = await sendParts(s.client, multipart, bytes, [1, 2, 3]);
    const done = await s.client.complete(multipart.id, { parts });
    expect(done.status).toBe(201);
    expect(done.body.files[0]).toMatchObject({
      id: multipart.id,
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect((await download(s.app, multipart.id)).bytes.equals(bytes)).toBe(true);
    expect(await s.storage.stat(multipart.id)).toMatchObject({
      sha256: sha256(bytes),
      name: 'big.bin',
    });
    expect((await s.leftovers()).sort()).toEqual(
      [
        `${s.prefix}.direct/${multipart.id}.json`,
        `${s.prefix}${multipart.id}`,
        `${s.prefix}${multipart.id}.json`,
      ].sort(),
    );
  });

  it('lists the parts already uploaded, then finishes with the missing one (parts left to the bucket)', async () => {
    const s = await setup(name);
    const bytes = patternBytes(10 * MiB + 1, 3);
    const multipart = (await s.client.create({ name: 'r.bin', size: bytes.length }))
      .body as MultipartCreated;
    await sendParts(s.client, multipart, bytes, [1, 3]);
    const listed = await s.client.listParts(multipart.id);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ kind: 'multipart', partSize: 5 * MiB, partCount: 3 });
    expect(listed.body.parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, 5 * MiB],
      [3, 1],
    ]);
    expect(listed.body.parts.every((p) => p.etag.length > 0)).toBe(true);
    await sendParts(s.client, multipart, bytes, [2]);
    const done = await s.client.complete(multipart.id);
    expect(done.status).toBe(201);
    expect((await download(s.app, multipart.id)).bytes.equals(bytes)).toBe(true);
  });

  it('an abort leaves nothing in the bucket, and the upload is gone', async () => {
    const s = await setup(name);
    const bytes = patternBytes(6 * MiB, 4);
    const multipart = (await s.client.create({ name: 'a.bin', size: bytes.length }))
      .body as MultipartCreated;
    await sendParts(s.client, multipart, bytes, [1]);
    expect(await s.leftovers()).not.toEqual([]);
    expect((await s.client.abort(multipart.id)).status).toBe(204);
    expect(await s.leftovers()).toEqual([]);
    expect((await s.client.listParts(multipart.id)).status).toBe(404);
    expect((await s.client.complete(multipart.id)).status).toBe(404);
    expect((await s.client.abort(multipart.id)).status).toBe(404);
    // A PUT upload's object goes too.
    const put = (await s.client.create({ name: 'p.txt', size: 3, type: 'text/plain' }))
      .body as PutCreated;
    await putTo(put.url, Buffer.from('abc'), put.headers);
    expect((await s.client.abort(put.id)).status).toBe(204);
    expect(await s.leftovers()).toEqual([]);
    // A multipart upload aborted behind the server's back: completing it is 404, nothing kept.
    const gone = (await s.client.create({ name: 'g.bin', size: bytes.length }))
      .body as MultipartCreated;
    const parts = await sendParts(s.client, gone, bytes, [1, 2]);
    const [held] = (await kit.s3.uploadsInProgress()).filter((u) => u.startsWith(s.prefix));
    const [key = '', uploadId = ''] =
      /^(\S+) \(multipart upload (\w+)\)$/.exec(held ?? '')?.slice(1) ?? [];
    await kit.s3.client.send(
      new AbortMultipartUploadCommand({ Bucket: kit.s3.bucket, Key: key, UploadId: uploadId }),
    );
    const completed = await s.client.complete(gone.id, { parts });
    expect(completed.status).toBe(404);
    expect(completed.body).toMatchObject({ error: { code: 'not-found' } });
    expect(await s.leftovers()).toEqual([]);
  });

  it('refuses at signing what the rules refuse, before anything is signed or stored', async () => {
    const s = await setup(name, {
      rules: {
        accept: 'image/*',
        maxSize: MiB,
        validate: (file) => (file.name.startsWith('no') ? 'Names may not start with no' : null),
      },
    });
    const tooBig = await s.client.create({ name: 'a.png', size: 2 * MiB, type: 'image/png' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: { code: 'file-too-large' } });
    const wrongType = await s.client.create({ name: 'a.txt', size: 10, type: 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body).toMatchObject({ error: { code: 'file-invalid-type' } });
    const refused = await s.client.create({ name: 'nope.png', size: 10, type: 'image/png' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'validation-failed' } });
    expect(await s.leftovers()).toEqual([]);
    expect((await s.client.create({ name: 'yes.png', size: 10, type: 'image/png' })).status).toBe(
      201,
    );
  });

  it('catches at completion a declared PNG whose bytes are an EXE (sniff): 415, deleted', async () => {
    const s = await setup(name, { sniff: true, rules: { accept: 'image/png' } });
    const put = (await s.client.create({ name: 'photo.png', size: EXE.length, type: 'image/png' }))
      .body as PutCreated;
    expect((await putTo(put.url, EXE, put.headers)).status).toBe(200);
    const done = await s.client.complete(put.id);
    expect(done.status).toBe(415);
    expect(done.body).toMatchObject({ error: { code: 'file-invalid-type' } });
    expect(await s.leftovers()).toEqual([]);
    expect((await download(s.app, put.id)).status).toBe(404);
  });

  it('stores a sniffed PNG with the type its bytes show', async () => {
    const s = await setup(name, { sniff: true, rules: { accept: 'image/png' } });
    const png = Buffer.from(PNG_BASE64, 'base64');
    const put = (await s.client.create({ name: 'dot.png', size: png.length, type: 'image/png' }))
      .body as PutCreated;
    await putTo(put.url, png, put.headers);
    const done = await s.client.complete(put.id);
    expect(done.status).toBe(201);
    expect(done.body.files[0]).toMatchObject({ type: 'image/png', size: png.length });
  });

  it('a PUT again to the signed URL after the completion cannot replace the checked file', async () => {
    const s = await setup(name, { sniff: true, rules: { accept: 'image/png' } });
    const png = Buffer.from(PNG_BASE64, 'base64');
    const put = (await s.client.create({ name: 'dot.png', size: png.length, type: 'image/png' }))
      .body as PutCreated;
    await putTo(put.url, png, put.headers);
    expect((await s.client.complete(put.id)).status).toBe(201);
    // The URL is still valid (for urlExpiresIn): the same size and type, other bytes.
    const exe = Buffer.concat([EXE.subarray(0, 8), patternBytes(png.length - 8, 7)]);
    await putTo(put.url, exe, put.headers);
    const back = await download(s.app, put.id);
    expect(back.status).toBe(200);
    expect(back.bytes.equals(png)).toBe(true);
    // What the late PUT left goes with the completed record, at the upload's expiry.
    expect(await s.leftovers()).toContain(`${s.prefix}.direct/${put.id}.data`);
  });

  it('catches a size other than declared, and a sha256 other than declared: deleted', async () => {
    const s = await setup(name);
    const short = (await s.client.create({ name: 's.txt', size: 1000, type: 'text/plain' }))
      .body as PutCreated;
    await putTo(short.url, patternBytes(999), short.headers);
    const sized = await s.client.complete(short.id);
    expect(sized.status).toBe(400);
    expect(sized.body).toMatchObject({ error: { code: 'malformed-request' } });
    expect(await s.leftovers()).toEqual([]);

    const bytes = patternBytes(2000, 5);
    const lied = (
      await s.client.create({
        name: 'h.txt',
        size: bytes.length,
        type: 'text/plain',
        sha256: sha256(Buffer.from('other')),
      })
    ).body as PutCreated;
    await putTo(lied.url, bytes, lied.headers);
    const hashed = await s.client.complete(lied.id);
    expect(hashed.body).toMatchObject({ error: { code: 'checksum-mismatch' } });
    expect(await s.leftovers()).toEqual([]);
  });

  it('judges the stored file by validate at completion too, and removes it when onUploaded throws', async () => {
    const s = await setup(name, {
      sniff: true,
      rules: { validate: (file) => (file.type === 'image/png' ? 'No pictures here' : null) },
      onUploaded: (file) => {
        if (file.name === 'hook.txt') throw new HandlerError('forbidden', 'Not today');
      },
    });
    // Declared as bytes, found to be a PNG: validate judges what the bucket holds.
    const png = Buffer.from(PNG_BASE64, 'base64');
    const hidden = (await s.client.create({ name: 'data.bin', size: png.length }))
      .body as PutCreated;
    await putTo(hidden.url, png, hidden.headers);
    const judged = await s.client.complete(hidden.id);
    expect(judged.status).toBe(422);
    expect(judged.body).toMatchObject({ error: { code: 'validation-failed' } });
    expect(await s.leftovers()).toEqual([]);
    const hooked = (await s.client.create({ name: 'hook.txt', size: 3, type: 'text/plain' }))
      .body as PutCreated;
    await putTo(hooked.url, Buffer.from('abc'), hooked.headers);
    const refused = await s.client.complete(hooked.id);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden', message: 'Not today' } });
    expect(await s.leftovers()).toEqual([]);
    expect((await download(s.app, hooked.id)).status).toBe(404);
  });

  it('keeps an upload whose bytes are not all there yet, to complete again', async () => {
    const s = await setup(name);
    const put = (await s.client.create({ name: 'later.txt', size: 3, type: 'text/plain' }))
      .body as PutCreated;
    expect((await s.client.complete(put.id)).status).toBe(400);
    await putTo(put.url, Buffer.from('abc'), put.headers);
    expect((await s.client.complete(put.id)).status).toBe(201);

    const bytes = patternBytes(6 * MiB, 6);
    const multipart = (await s.client.create({ name: 'm.bin', size: bytes.length }))
      .body as MultipartCreated;
    expect((await s.client.complete(multipart.id)).status).toBe(400);
    const parts = await sendParts(s.client, multipart, bytes, [1]);
    const missing = await s.client.complete(multipart.id, { parts });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { message: 'Parts not uploaded yet: 2' } });
    // A part of the wrong size (real S3 refuses it against the signed Content-Length; s3rver
    // takes it) is caught at completion and sent again.
    const [wrong] = (await s.client.signParts(multipart.id, [2])).body.parts;
    await putTo(wrong?.url ?? '', patternBytes(10));
    const sized = await s.client.complete(multipart.id);
    expect(sized.body).toMatchObject({
      error: { message: 'Part 2 is 10 bytes, not 1048576: send it again' },
    });
    const all = [...parts, ...(await sendParts(s.client, multipart, bytes, [2]))];
    expect((await s.client.complete(multipart.id, { parts: all })).status).toBe(201);
  });

  it('runs authorize with each operation, the pending upload as ctx.file, and keeps its record', async () => {
    const seen: string[] = [];
    const authorize = (ctx: HandlerContext<never, TableParts>) => {
      const deny = headerOf(ctx, 'x-deny');
      seen.push(`${ctx.operation}${ctx.file ? ` ${String(ctx.file.auth?.owner)}` : ''}`);
      if (deny === ctx.operation) return false;
      return ctx.operation === 'direct-sign' && !ctx.file ? { owner: 'ann' } : true;
    };
    const s = await setup(name, { authorize });
    const as = (operation: string) => directClient(s.app.base, { 'x-deny': operation });
    const declared = { name: 'x.bin', size: 6 * MiB };
    expect((await as('direct-sign').create(declared)).status).toBe(403);
    expect(await s.leftovers()).toEqual([]);
    const multipart = (await s.client.create(declared)).body as MultipartCreated;
    expect((await as('direct-sign').signParts(multipart.id, [1])).status).toBe(403);
    expect((await as('direct-sign').listParts(multipart.id)).status).toBe(403);
    const bytes = patternBytes(declared.size, 7);
    await sendParts(s.client, multipart, bytes, [1, 2]);
    expect((await as('direct-complete').complete(multipart.id)).status).toBe(403);
    expect((await as('direct-abort').abort(multipart.id)).status).toBe(403);
    const done = await s.client.complete(multipart.id);
    expect(done.status).toBe(201);
    expect((await s.storage.stat(multipart.id))?.auth).toEqual({ owner: 'ann' });
    expect(seen).toEqual([
      'direct-sign',
      'direct-sign',
      'direct-sign ann',
      'direct-sign ann',
      'direct-sign ann',
      'direct-complete ann',
      'direct-abort ann',
      'direct-complete ann',
    ]);
  });

  it('answers clear JSON errors for an unknown id, bad JSON, a wrong shape, an over-long body', async () => {
    const s = await setup(name);
    const unknown = await s.client.listParts(createFileId());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not-found' } });
    expect((await s.client.complete(createFileId())).status).toBe(404);
    expect((await s.client.abort('not~an~id')).status).toBe(404);
    // As text: Express's json parser in front of the middleware would answer JSON it cannot read.
    const bad = await s.client.call('POST', '/direct', '{"name": ', 'text/plain');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'malformed-request' } });
    for (const body of [
      [],
      { name: 'a', size: -1 },
      { name: 'a', size: 1.5 },
      { size: 1 },
      { name: 'a', size: 1, sha256: 'xyz' },
    ]) {
      const wrong = await s.client.call('POST', '/direct', body);
      expect(wrong.status).toBe(400);
    }
    const multipart = (await s.client.create({ name: 'x.bin', size: 6 * MiB }))
      .body as MultipartCreated;
    expect(
      (await s.client.call('POST', `/direct/${multipart.id}/parts`, { partNumbers: [3] })).status,
    ).toBe(400);
    expect(
      (await s.client.call('POST', `/direct/${multipart.id}/parts`, { partNumbers: [] })).status,
    ).toBe(400);
    // Over the limit of a small request (Express's own json parser has a smaller one).
    const huge = JSON.stringify({ name: 'a', size: 1, pad: 'x'.repeat(3 * MiB) });
    const long = await fetch(`${s.app.base}/direct`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: huge,
    });
    expect(long.status).toBe(413);
    expect(await long.json()).toMatchObject({ error: { code: 'request-too-large' } });
    expect((await s.client.abort(multipart.id)).status).toBe(204);
    expect(await s.leftovers()).toEqual([]);
  });
});

describe('direct uploads and the sweep', () => {
  it('aborts a pending upload past its expiry, parts and record, and then it is unknown', async () => {
    let clock = Date.now();
    const { handler, client, prefix } = await kit.serve({
      direct: { expirationMs: 60_000, now: () => clock },
    });
    const bytes = patternBytes(6 * MiB, 8);
    const old = (await client.create({ name: 'old.bin', size: bytes.length }))
      .body as MultipartCreated;
    await sendParts(client, old, bytes, [1]);
    clock += 30_000;
    const young = (await client.create({ name: 'young.txt', size: 2, type: 'text/plain' }))
      .body as Created;
    expect(await handler.sweepExpiredUploads()).toBe(0);
    clock += 40_000;
    expect(await handler.sweepExpiredUploads()).toBe(1);
    expect(await leftovers(prefix)).toEqual([`${prefix}.direct/${young.id}.json`]);
    expect((await client.listParts(old.id)).status).toBe(404);
    // One past its expiry is unknown to every route even before a sweep, and dropped.
    clock += 60_000;
    expect((await client.listParts(young.id)).status).toBe(404);
    expect(await leftovers(prefix)).toEqual([]);
  });

  it('keeps a completed record until the expiry, then sweeps it uncounted; the file stays', async () => {
    let clock = Date.now();
    const { handler, client, prefix, base } = await kit.serve({
      direct: { expirationMs: 60_000, now: () => clock },
    });
    const put = (await client.create({ name: 'kept.txt', size: 3, type: 'text/plain' }))
      .body as PutCreated;
    await putTo(put.url, Buffer.from('abc'), put.headers);
    const done = await client.complete(put.id);
    expect(done.status).toBe(201);
    clock += 30_000;
    expect(await client.complete(put.id)).toEqual(done);
    // A PUT after the completion lands on the upload's own key, which the sweep takes too.
    await putTo(put.url, Buffer.from('xyz'), put.headers);
    clock += 40_000;
    expect(await handler.sweepExpiredUploads()).toBe(0);
    expect(await leftovers(prefix)).toEqual([`${prefix}${put.id}`, `${prefix}${put.id}.json`]);
    expect(await (await fetch(`${base}/${put.id}`)).text()).toBe('abc');
    // Past the expiry a completion asked again no longer knows the upload.
    expect((await client.complete(put.id)).status).toBe(404);
  });

  it('answers 404 on a storage that signs nothing', async () => {
    const handler = createUploadHandler({ storage: memoryStorage() });
    const local = createServer((req, res) => {
      void handler.handle(req, res, { path: req.url ?? '/', basePath: '', framework: null });
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
    const created = await directClient(base).create({ name: 'a.txt', size: 1 });
    expect(created.status).toBe(404);
    expect(created.body).toMatchObject({ error: { code: 'not-found' } });
    await new Promise<void>((resolve) => local.close(() => resolve()));
  });
});
