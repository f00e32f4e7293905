import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkSize, checkType, type Rules } from '@updown/core/rules';
import { authorizeRequest } from '../handler/authorize-request';
import { assertFileValid, HandlerError, rejectionError, sendError } from '../handler/errors';
import type { HandlerContext, HandlerOptions, StoredFile } from '../handler/handler-types';
import { resolveLimits } from '../handler/limits';
import { withoutTrailingSlash } from '../handler/mount-path';
import { concatenationId, createFileId, isValidFileId } from '../intake/file-id';
import { toStoredFile } from '../intake/receive-upload';
import { sanitizeFilename } from '../intake/sanitize-filename';
import { SNIFF_BYTES, sniffType } from '../intake/sniff-type';
import { memoryResumable } from '../storage/memory-resumable';
import type { PartialInfo, PartialState, ResumableStorage } from '../storage/resumable-storage';
import type { Storage } from '../storage/storage';
import { pumpBody } from './tus-body';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumExpectation,
  checksumVerifier,
  parseChecksumHeader,
} from './tus-checksum';
import { expiresHeader, isExpired, sweepExpired } from './tus-expiration';
import { createLockTable } from './tus-lock';
import {
  EXPOSED_HEADERS,
  effectiveMethod,
  OFFSET_CONTENT_TYPE,
  parseIntegerHeader,
  parseUploadConcat,
  parseUploadMetadata,
  serializeUploadMetadata,
  TUS_EXTENSIONS,
  TUS_VERSION,
} from './tus-protocol';

export interface TusOptions {
  /**
   * Where partial uploads live. Defaults to the storage's own `resumable` side (diskStorage
   * has one: offsets survive a restart), else partials held in memory and published
   * through the storage's `begin`/`commit`.
   */
  resumable?: ResumableStorage;
  /** An upload untouched this long expires (`Upload-Expires`) and is swept. Defaults to 24 h; `0` never. */
  expirationMs?: number;
  /** Expired uploads are swept on the back of a creation at most this often. Defaults to 1 h. */
  sweepIntervalMs?: number;
  /** How long a request waits for another one on the same upload before a 423. Defaults to 10 s. */
  lockTimeoutMs?: number;
  /** Clock, in ms since the epoch. Defaults to `Date.now`. */
  now?: () => number;
}

export interface TusHandler<F = unknown> {
  /**
   * Serves `/tus` and `/tus/:id` (a path below the mount point); resolves `false` for any
   * other path.
   */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    context: { path: string; basePath: string; framework: F },
  ): Promise<boolean>;
  /** Removes expired partial uploads now; resolves with how many went. */
  sweep(): Promise<number>;
  readonly resumable: ResumableStorage;
}

/** A storage that may bring its own resumable side (diskStorage does): any `Storage`. */
export type MaybeResumable = Storage;

const FILENAME_KEYS = ['filename', 'name'];
const FILETYPE_KEYS = ['filetype', 'type', 'contentType'];

function tusError(code: string, message: string, status: number): HandlerError {
  return new HandlerError(code, message, { status });
}

/** A percent-encoded path segment, decoded; `null` when an escape is malformed (`%E0`). */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function firstOf(metadata: Record<string, string>, keys: string[]): string | undefined {
  for (const key of keys) if (metadata[key] !== undefined) return metadata[key];
  return undefined;
}

async function digestOf(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

async function headOf(
  stream: AsyncIterable<Uint8Array> & { destroy?: () => void },
  max: number,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= max) break;
  }
  return Buffer.concat(parts).subarray(0, max);
}

/**
 * The tus 1.0.0 server (core, creation, creation-with-upload, creation-defer-length,
 * termination, expiration, checksum, concatenation) over the handler's storage, with the same `rules`,
 * `limits`, `authorize` (operation `'tus'`) and `onUploaded` as multipart uploads. A
 * finished upload is published into the storage under its tus id, so `GET /:id` serves it.
 *
 * The SHA-256 of the stored file is computed incrementally across PATCH requests while the
 * process lives; after a restart (or a lost hash) it is computed once at publish, by reading
 * the partial file.
 */
export function createTusHandler<F = unknown>(
  storage: Storage,
  options: HandlerOptions<F> = {},
  tus: TusOptions = {},
): TusHandler<F> {
  const store = tus.resumable ?? storage.resumable ?? memoryResumable(storage);
  const limits = resolveLimits(options.limits, options.rules);
  const rules: Rules = options.rules ?? {};
  const now = tus.now ?? Date.now;
  const expirationMs = tus.expirationMs ?? 24 * 60 * 60 * 1000;
  const sweepIntervalMs = tus.sweepIntervalMs ?? 60 * 60 * 1000;
  const lockTimeoutMs = tus.lockTimeoutMs ?? 10_000;
  const locks = createLockTable();
  /** The running SHA-256 of each upload's stored bytes, valid while `offset` matches. */
  const hashes = new Map<string, { hash: Hash; offset: number }>();
  let lastSweep = now();

  const base: Record<string, string> = {
    'Tus-Resumable': TUS_VERSION,
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  };

  function answer(
    res: ServerResponse,
    status: number,
    headers: Record<string, string | number> = {},
  ): void {
    res.writeHead(status, { ...base, ...headers });
    res.end();
  }

  function fail(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
    sendError(res, error, { ...base, ...headers });
  }

  function expiresAfterNow(): number | null {
    return expirationMs > 0 ? now() + expirationMs : null;
  }

  async function sweep(): Promise<number> {
    lastSweep = now();
    const removed = await sweepExpired(store, now(), (id) => locks.isHeld(id));
    for (const id of hashes.keys()) {
      if (!locks.isHeld(id) && !(await store.getPartialInfo(id))) hashes.delete(id);
    }
    return removed;
  }

  function maybeSweep(): void {
    if (expirationMs <= 0 || now() - lastSweep < sweepIntervalMs) return;
    lastSweep = now();
    void sweep().catch(() => {});
  }

  /** The upload, alive; 404 when unknown, 410 (and removed) when expired. */
  async function liveUpload(id: string): Promise<PartialInfo> {
    const info = isValidFileId(id) ? await store.getPartialInfo(id) : null;
    if (!info) throw tusError('not-found', 'No such upload', 404);
    if (isExpired(info, now())) {
      await store.deletePartial(id);
      hashes.delete(id);
      throw tusError('upload-expired', 'The upload has expired', 410);
    }
    return info;
  }

  /** `limits.fileSize` is already no more than `rules.maxSize` (resolveLimits). */
  function checkLength(length: number): void {
    if (length > limits.fileSize) {
      throw new HandlerError(
        'file-too-large',
        `Upload-Length is over the limit of ${limits.fileSize} bytes`,
      );
    }
  }

  /** A body longer than the room left: past the declared length, or past the file size limit. */
  function pastTheEnd(info: PartialInfo): HandlerError {
    return new HandlerError(
      info.length === null ? 'file-too-large' : 'request-too-large',
      'The body goes past the end of the upload',
    );
  }

  /** Rules that need the whole file, then the one-step publish, then `onUploaded`. */
  async function publish(
    info: PartialInfo,
    ctx: HandlerContext<F>,
    basePath: string,
  ): Promise<StoredFile> {
    const id = info.id;
    const fields = Object.fromEntries(
      Object.entries(info.metadata).filter(
        ([key]) => !FILENAME_KEYS.includes(key) && !FILETYPE_KEYS.includes(key),
      ),
    );
    let type = info.type;
    try {
      if (options.sniff) {
        const head = await headOf(await store.readPartial(id), SNIFF_BYTES);
        type = (await sniffType(head, info, rules.accept)) ?? type;
      }
      await assertFileValid({ name: info.name, type, size: info.offset }, rules);
    } catch (error) {
      await store.deletePartial(id);
      hashes.delete(id);
      throw error;
    }
    const running = hashes.get(id);
    const sha256 =
      running && running.offset === info.offset
        ? running.hash.digest('hex')
        : await digestOf(await store.readPartial(id));
    hashes.delete(id);
    const meta = await store.publish(id, {
      name: info.name,
      type,
      sha256,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    });
    // The tus id stays the file's id, whatever a custom store answers.
    const stored = toStoredFile({ ...meta, id }, basePath);
    if (options.onUploaded) {
      try {
        await options.onUploaded(stored, ctx);
      } catch (error) {
        await storage.delete(id).catch(() => {});
        throw error;
      }
    }
    return stored;
  }

  /**
   * Appends one request body at the upload's offset. Resolves with the new offset, or `null`
   * when the client left (the bytes that came are kept, unless a checksum could not be
   * verified). Publishes when the last byte is in.
   */
  async function receive(
    req: IncomingMessage,
    info: PartialInfo,
    checksum: ChecksumExpectation | null,
    ctx: HandlerContext<F>,
    basePath: string,
  ): Promise<{ offset: number; stored?: StoredFile } | null> {
    const room = (info.length ?? limits.fileSize) - info.offset;
    const declared = parseIntegerHeader(req.headers['content-length']);
    if (declared === undefined)
      throw tusError('malformed-request', 'Content-Length is malformed', 400);
    if (declared !== null && declared > room) throw pastTheEnd(info);
    const running = hashes.get(info.id);
    // A piece of a parallel upload is hashed when the pieces are joined, not here.
    const fork =
      info.concat === 'partial'
        ? null
        : running && running.offset === info.offset
          ? running.hash.copy()
          : info.offset === 0
            ? createHash('sha256')
            : null;
    const verifier = checksum ? checksumVerifier(checksum) : null;
    const writer = await store.appendAt(info.id, info.offset);
    let outcome: Awaited<ReturnType<typeof pumpBody>>;
    try {
      outcome = await pumpBody(req, writer, {
        maxBytes: room,
        idleTimeoutMs: limits.idleTimeoutMs,
        onChunk: (chunk) => {
          fork?.update(chunk);
          verifier?.update(chunk);
        },
      });
    } catch (error) {
      await writer.discard().catch(() => {});
      throw error;
    }
    if (outcome === 'too-large' || (verifier && outcome === 'cut')) {
      // Bytes a checksum was meant to vouch for, but never could: none of them is kept.
      await writer.discard();
      if (outcome === 'cut') return null;
      throw pastTheEnd(info);
    }
    if (verifier && !verifier.matches()) {
      await writer.discard();
      throw tusError('checksum-mismatch', 'The body does not match Upload-Checksum', 460);
    }
    const offset = await writer.close();
    if (fork) hashes.set(info.id, { hash: fork, offset });
    else hashes.delete(info.id);
    if (outcome === 'cut') return null;
    const expiresAt = expiresAfterNow();
    const current: PartialInfo = { ...info, offset, expiresAt };
    if (info.length !== null && offset === info.length && info.concat !== 'partial') {
      return { offset, stored: await publish(current, ctx, basePath) };
    }
    if (expiresAt !== null) await store.updatePartial(info.id, { expiresAt });
    return { offset };
  }

  async function withLock<T>(id: string, run: () => Promise<T>): Promise<T> {
    const release = await locks.acquire(id, lockTimeoutMs);
    if (!release) throw tusError('locked', 'Another request is writing this upload', 423);
    try {
      return await run();
    } finally {
      release();
    }
  }

  function parseChecksum(req: IncomingMessage): ChecksumExpectation | null {
    try {
      return parseChecksumHeader(req.headers['upload-checksum']);
    } catch (error) {
      throw tusError('malformed-request', (error as Error).message, 400);
    }
  }

  function hasBody(req: IncomingMessage): boolean {
    const length = parseIntegerHeader(req.headers['content-length']);
    return (
      (length !== null && length !== undefined && length > 0) ||
      req.headers['transfer-encoding'] !== undefined
    );
  }

  function isOffsetStream(req: IncomingMessage): boolean {
    return (
      (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ===
      OFFSET_CONTENT_TYPE
    );
  }

  /** The partial uploads a final one names, each of them complete, in order. */
  async function completeParts(ids: string[]): Promise<PartialInfo[]> {
    const parts: PartialInfo[] = [];
    for (const partId of ids) {
      const info = await liveUpload(partId).catch(() => null);
      if (info?.concat !== 'partial') {
        throw tusError(
          'malformed-request',
          'Upload-Concat names an upload that is not a partial one',
          400,
        );
      }
      if (info.length === null || info.offset !== info.length) {
        throw tusError('malformed-request', 'A partial upload is not complete yet', 400);
      }
      parts.push(info);
    }
    return parts;
  }

  async function removeParts(ids: string[]): Promise<void> {
    for (const partId of ids) {
      await store.deletePartial(partId).catch(() => {});
      hashes.delete(partId);
    }
  }

  /**
   * The final upload of the concatenation extension: the partial uploads, each complete,
   * joined in order into a new upload that is published at once; the partials are removed.
   * Its id comes from the pieces' ids, so a retry after a lost answer gets the same answer.
   */
  async function concatenate(
    res: ServerResponse,
    ctx: HandlerContext<F>,
    basePath: string,
    urls: string[],
    metadata: Record<string, string>,
    name: string,
    type: string,
  ): Promise<void> {
    const ids = urls.map((url) => decodeSegment(url.split('?')[0]!.split('/').pop() ?? '') ?? '');
    if (ids.length === 0 || !ids.every(isValidFileId)) {
      throw tusError('malformed-request', 'Upload-Concat names no partial uploads', 400);
    }
    const id = concatenationId(ids);
    ctx.id = id;
    const total = await withLock(id, async () => {
      // Joined already: the answer to an earlier try was lost. The same answer again.
      const joined = await storage.stat(id);
      if (joined) {
        await removeParts(ids);
        return joined.size;
      }
      const parts = await completeParts(ids);
      const size = parts.reduce((sum, part) => sum + part.offset, 0);
      checkLength(size);
      const [ok, error] = checkSize({ size }, rules);
      if (!ok) throw rejectionError(error);
      const state: PartialState = {
        length: size,
        metadata: { ...metadata },
        name,
        type,
        createdAt: now(),
        expiresAt: null,
      };
      // What a try that died half way left behind.
      await store.deletePartial(id).catch(() => {});
      await store.createPartial(id, state);
      const hash = createHash('sha256');
      try {
        const writer = await store.appendAt(id, 0);
        try {
          for (const part of parts) {
            for await (const chunk of await store.readPartial(part.id)) {
              hash.update(chunk as Uint8Array);
              const wait = writer.write(chunk as Uint8Array);
              if (wait) await wait;
            }
          }
          await writer.close();
        } catch (failure) {
          await writer.discard().catch(() => {});
          throw failure;
        }
        hashes.set(id, { hash, offset: size });
        await publish({ ...state, id, offset: size }, ctx, basePath);
      } catch (failure) {
        await store.deletePartial(id).catch(() => {});
        hashes.delete(id);
        throw failure;
      }
      await removeParts(ids);
      return size;
    });
    answer(res, 201, { Location: `${basePath}/tus/${id}`, 'Upload-Offset': total });
  }

  async function create(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: HandlerContext<F>,
    basePath: string,
  ): Promise<void> {
    const concat = parseUploadConcat(req.headers['upload-concat']);
    if (concat === undefined)
      throw tusError('malformed-request', 'Upload-Concat is malformed', 400);
    const length = parseIntegerHeader(req.headers['upload-length']);
    const defer = req.headers['upload-defer-length'];
    if (length === undefined)
      throw tusError('malformed-request', 'Upload-Length is malformed', 400);
    if (defer !== undefined && defer !== '1')
      throw tusError('malformed-request', 'Upload-Defer-Length must be 1', 400);
    if (concat?.kind !== 'final' && (length === null) === (defer === undefined)) {
      throw tusError(
        'malformed-request',
        'Send either Upload-Length or Upload-Defer-Length: 1',
        400,
      );
    }
    const rawMetadata = req.headers['upload-metadata'];
    const metadata = parseUploadMetadata(Array.isArray(rawMetadata) ? undefined : rawMetadata);
    if (!metadata || Array.isArray(rawMetadata))
      throw tusError('malformed-request', 'Upload-Metadata is malformed', 400);
    const name = sanitizeFilename(firstOf(metadata, FILENAME_KEYS) ?? '');
    const type = firstOf(metadata, FILETYPE_KEYS) || 'application/octet-stream';
    const partial = concat?.kind === 'partial';
    // A piece of a parallel upload is not a file: type and size rules wait for the final one.
    if (!partial) {
      const [typeOk, typeError] = checkType({ name, type }, rules.accept);
      if (!typeOk) throw rejectionError(typeError);
    }
    if (concat?.kind === 'final') {
      await concatenate(res, ctx, basePath, concat.urls, metadata, name, type);
      return;
    }
    if (length !== null) {
      checkLength(length);
      if (!partial) {
        const [ok, error] = checkSize({ size: length }, rules);
        if (!ok) throw rejectionError(error);
      }
    }
    maybeSweep();

    const id = createFileId();
    const state: PartialState = {
      length,
      metadata: { ...metadata },
      name,
      type,
      createdAt: now(),
      expiresAt: expiresAfterNow(),
      ...(partial ? { concat: 'partial' as const } : {}),
    };
    await store.createPartial(id, state);
    const headers: Record<string, string | number> = {
      Location: `${basePath}/tus/${id}`,
      ...expiresHeader(state.expiresAt),
    };
    ctx.id = id;
    if (length === 0 && !partial) {
      // Nothing will ever be PATCHed: the empty file is complete at creation.
      await withLock(id, () => publish({ ...state, id, offset: 0 }, ctx, basePath));
      answer(res, 201, { ...headers, 'Upload-Offset': 0 });
      return;
    }
    if (!isOffsetStream(req) || !hasBody(req)) {
      answer(res, 201, headers);
      return;
    }
    const checksum = parseChecksum(req);
    let result: Awaited<ReturnType<typeof receive>>;
    try {
      result = await withLock(id, () =>
        receive(req, { ...state, id, offset: 0 }, checksum, ctx, basePath),
      );
    } catch (error) {
      await store.deletePartial(id).catch(() => {});
      hashes.delete(id);
      throw error;
    }
    if (!result) return;
    answer(res, 201, { ...headers, 'Upload-Offset': result.offset });
  }

  async function head(res: ServerResponse, id: string): Promise<void> {
    const info = await withLock(id, () => liveUpload(id)).catch(async (error: unknown) => {
      // A finished upload: its offset is its length, so a client whose last answer was lost
      // learns that it is done.
      const done =
        error instanceof HandlerError && error.status === 404 && isValidFileId(id)
          ? await storage.stat(id)
          : null;
      if (!done) throw error;
      return { offset: done.size, length: done.size, metadata: {}, expiresAt: null } as Pick<
        PartialInfo,
        'offset' | 'length' | 'metadata' | 'expiresAt'
      >;
    });
    const headers: Record<string, string | number> = {
      'Upload-Offset': info.offset,
      'Cache-Control': 'no-store',
      ...expiresHeader(info.expiresAt),
    };
    if (info.length === null) headers['Upload-Defer-Length'] = '1';
    else headers['Upload-Length'] = info.length;
    const meta = serializeUploadMetadata(info.metadata);
    if (meta) headers['Upload-Metadata'] = meta;
    if ((info as { concat?: string }).concat === 'partial') headers['Upload-Concat'] = 'partial';
    answer(res, 200, headers);
  }

  async function patch(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    ctx: HandlerContext<F>,
    basePath: string,
  ): Promise<void> {
    if (!isOffsetStream(req)) {
      throw tusError('unsupported-media-type', `PATCH bodies must be ${OFFSET_CONTENT_TYPE}`, 415);
    }
    const offset = parseIntegerHeader(req.headers['upload-offset']);
    if (offset === null || offset === undefined)
      throw tusError('malformed-request', 'Upload-Offset is missing or malformed', 400);
    const newLength = parseIntegerHeader(req.headers['upload-length']);
    if (newLength === undefined)
      throw tusError('malformed-request', 'Upload-Length is malformed', 400);
    const checksum = parseChecksum(req);
    const result = await withLock(id, async () => {
      let info = await liveUpload(id);
      if (offset !== info.offset) {
        throw Object.assign(
          tusError('offset-mismatch', `The upload is at offset ${info.offset}`, 409),
          {
            offset: info.offset,
          },
        );
      }
      if (newLength !== null) {
        if (info.length !== null && info.length !== newLength) {
          throw tusError('malformed-request', 'Upload-Length cannot change', 400);
        }
        if (info.length === null) {
          if (newLength < info.offset)
            throw tusError('malformed-request', 'Upload-Length is below the offset', 400);
          checkLength(newLength);
          await store.updatePartial(id, { length: newLength });
          info = { ...info, length: newLength };
        }
      }
      return receive(req, info, checksum, ctx, basePath);
    });
    if (!result) return;
    answer(res, 204, { 'Upload-Offset': result.offset });
  }

  async function terminate(res: ServerResponse, id: string): Promise<void> {
    const removed = await withLock(id, async () =>
      isValidFileId(id) ? store.deletePartial(id) : false,
    );
    hashes.delete(id);
    if (!removed) throw tusError('not-found', 'No such upload', 404);
    answer(res, 204);
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    context: { path: string; basePath: string; framework: F },
  ): Promise<boolean> {
    const q = context.path.indexOf('?');
    const pathname = withoutTrailingSlash(q === -1 ? context.path : context.path.slice(0, q));
    if (pathname !== '/tus' && !pathname.startsWith('/tus/')) return false;
    const rest = pathname.slice('/tus/'.length);
    if (pathname !== '/tus' && (rest === '' || rest.includes('/'))) return false;
    const id = pathname === '/tus' ? undefined : decodeSegment(rest);
    if (id === null) {
      fail(res, tusError('malformed-request', 'The upload URL is malformed', 400));
      return true;
    }
    const basePath = withoutTrailingSlash(context.basePath);
    const method = effectiveMethod(req.method, req.headers['x-http-method-override']);
    const ctx: HandlerContext<F> = {
      operation: 'tus',
      req,
      res,
      framework: context.framework,
      ...(id === undefined ? {} : { id }),
    };
    try {
      if (method === 'OPTIONS') {
        answer(res, 204, {
          'Tus-Version': TUS_VERSION,
          'Tus-Extension': TUS_EXTENSIONS.join(','),
          'Tus-Max-Size': limits.fileSize,
          'Tus-Checksum-Algorithm': CHECKSUM_ALGORITHMS.join(','),
        });
        return true;
      }
      if (req.headers['tus-resumable'] !== TUS_VERSION) {
        fail(res, tusError('unsupported-version', `Tus-Resumable must be ${TUS_VERSION}`, 412), {
          'Tus-Version': TUS_VERSION,
        });
        return true;
      }
      const allowed =
        id === undefined
          ? method === 'POST'
          : method === 'HEAD' || method === 'PATCH' || method === 'DELETE';
      if (!allowed) {
        fail(res, tusError('method-not-allowed', 'Method not allowed here', 405), {
          Allow: id === undefined ? 'OPTIONS, POST' : 'OPTIONS, HEAD, PATCH, DELETE',
        });
        return true;
      }
      await authorizeRequest(options, ctx);
      if (id === undefined) await create(req, res, ctx, basePath);
      else if (method === 'HEAD') await head(res, id);
      else if (method === 'PATCH') await patch(req, res, id, ctx, basePath);
      else await terminate(res, id);
    } catch (error) {
      const offset = (error as { offset?: unknown } | null)?.offset;
      fail(res, error, typeof offset === 'number' ? { 'Upload-Offset': String(offset) } : {});
    }
    return true;
  }

  return { handle, sweep, resumable: store };
}
