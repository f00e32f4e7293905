import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Messages, Rules } from '@updown/core/rules';
import type { Exchange, NodeRequestParts } from '../exchange/exchange';
import type { DirectUploadInfo } from '../storage/direct-storage';
import type { PartialInfo, ResumableStorage } from '../storage/resumable-storage';
import type { AuthData, FileMetadata } from '../storage/storage';

/**
 * What the request is asking for, after `X-HTTP-Method-Override`; `authorize` sees it before
 * any byte is stored or read. `upload` is `POST /upload`, `download` is `GET`/`HEAD /:id`,
 * `delete` is `DELETE /:id`; `tus-create` is `POST /tus`, `tus-resume` is `HEAD`/`PATCH
 * /tus/:id` and `tus-terminate` is `DELETE /tus/:id`; the `direct-*` ones are the
 * direct-to-bucket routes.
 */
export type Operation =
  | 'upload'
  | 'download'
  | 'delete'
  | 'tus-create'
  | 'tus-resume'
  | 'tus-terminate'
  /**
   * `POST /direct` (a new direct-to-bucket upload, judged by the rules on what the client
   * declares, before anything is signed), `POST /direct/:id/parts` (part URLs signed) and
   * `GET /direct/:id/parts` (the parts already in the bucket, to resume). A record returned
   * for the creation is kept with the file, as for an `upload`.
   */
  | 'direct-sign'
  /** `POST /direct/:id/complete`: the bytes in the bucket verified, and published. */
  | 'direct-complete'
  /**
   * `DELETE /direct/:id`: the pending upload and its bytes dropped. Allowed without
   * `authorize`: it never reaches a published file, and only the uploader knows the id.
   */
  | 'direct-abort';

/**
 * What `authorize` answers: `false` refuses (403), `true` or nothing allows, and for an
 * `upload` or a `tus-create` a JSON-able record allows and is kept with the file, to come back
 * as `ctx.file.auth` on each later request about it.
 */
export type AuthorizeVerdict =
  | boolean
  | AuthData
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: an authorize with no return statement allows.
  | void;

/**
 * What every hook sees of a request, whatever runtime carries it; `HandlerContext` adds the
 * runtime's own objects.
 */
export interface HandlerContextBase<F = unknown> {
  operation: Operation;
  /** The file id, for download, delete and tus requests on an upload. */
  id?: string;
  /**
   * The file the request is about, when it exists: the stored file's metadata for `download`
   * and `delete`, the partial upload (or, once finished, the stored file) for `tus-resume`
   * and `tus-terminate`, the pending direct upload for the `direct-*` operations on one. Its
   * `auth` is what `authorize` returned for its upload, so an app can check ownership.
   */
  file?: FileMetadata | PartialInfo | DirectUploadInfo;
  /**
   * The framework's own request object (Express `Request`, Fastify `FastifyRequest`, Koa
   * `Context`; the `Request` under the fetch entry), so hooks are typed for the framework in
   * use.
   */
  framework: F;
}

/**
 * Passed to `authorize`, `onUploaded`, `onError` and `validate`. `R` is what the runtime
 * adds: under the Node adapters Node's own objects, `req` and `res` (the default,
 * `NodeRequestParts`); under the fetch entry the web-standard `request` (`WebRequestParts`).
 */
export type HandlerContext<
  F = unknown,
  R extends object = NodeRequestParts,
> = HandlerContextBase<F> & R;

/** What the client gets back for each stored file. */
export interface StoredFile {
  id: string;
  /** Sanitized client filename. */
  name: string;
  size: number;
  type: string;
  /** Hex SHA-256 of the bytes (`''` for a direct-to-bucket upload that declared none). */
  sha256: string;
  /** Where to GET it: the mount path + `/` + id. */
  url: string;
}

export interface UploadLimits {
  /** Bytes per file. Defaults to 1 GiB (and never more than `rules.maxSize`). */
  fileSize?: number;
  /** File parts per request. Defaults to 20 (and never more than `rules.maxFiles`). */
  files?: number;
  /** Text fields per request. Defaults to 100. */
  fields?: number;
  /** Bytes per text field. Defaults to 64 KiB. */
  fieldSize?: number;
  /**
   * Bytes of text fields a request may keep, in their JSON form, counted once for each file
   * (every file's metadata holds them all), so that many small files cannot multiply a
   * request's fields into far more metadata than the request brought. Past it,
   * 413 `request-too-large`. Defaults to 1 MiB.
   */
  fieldsTotalSize?: number;
  /** Parts (files + fields) per request. Defaults to 200. */
  parts?: number;
  /** Header key-value pairs per part. Defaults to 20. */
  headerPairs?: number;
  /** Abort when no byte arrives for this long. Defaults to 30 000 ms. */
  idleTimeoutMs?: number;
  /**
   * The slowest an upload may arrive, measured over each `rateWindowMs`: a client that
   * trickles a byte now and then is answered 408 `request-timeout` instead of holding a
   * connection and a file forever. A window in which the storage was behind does not count.
   * Defaults to 1024 bytes per second; `0` turns it off.
   */
  minBytesPerSecond?: number;
  /** The window `minBytesPerSecond` is measured over. Defaults to 30 000 ms. */
  rateWindowMs?: number;
  /**
   * The longest one upload request may take, whatever its pace: past it, 408
   * `request-timeout`. Defaults to 2 hours; `0` turns it off. (Node's own
   * `server.requestTimeout`, 300 s by default, cuts sooner with a bare 408: set it to `0` and
   * let this limit do the job.)
   */
  maxDurationMs?: number;
  /**
   * Uploads received at once (`POST /upload`, and tus creations and PATCHes), per handler:
   * past it, 503 `server-busy` with `Retry-After`. Defaults to 256.
   */
  concurrentUploads?: number;
}

export interface HandlerOptions<F = unknown, R extends object = NodeRequestParts> {
  /** Where files live. Defaults to `diskStorage({ directory: './uploads' })`. */
  storage?: import('../storage/storage').Storage;
  rules?: Rules;
  limits?: UploadLimits;
  /**
   * Also check the first bytes against `accept` and the declared type (with `file-type`):
   * a file whose bytes contradict its type is refused with 415, and a recognised file is
   * stored and served with the type its bytes show. Defaults to `false`.
   */
  sniff?: boolean;
  /**
   * The `Cache-Control` of downloads (200, 206, 304). Defaults to `'private, no-cache'`: kept
   * by the browser only, revalidated before each use, so a deleted or guarded file is never
   * served from a shared cache. Set `'public, max-age=31536000, immutable'` for files anyone
   * may fetch through a CDN (a file's bytes never change for its id).
   */
  cacheControl?: string;
  /**
   * Replacements for the messages of the server's error answers, by code (a map of templates
   * such as `{ forbidden: 'Sign in first', 'file-too-large': 'At most {maxSize}' }`) or a
   * function of the code and its details; English by default. The rules' own
   * `rules.messages` already words their refusals; these win over them, for every code the
   * server answers (`not-found`, `server-busy`, the tus codes...).
   */
  messages?: Messages;
  /**
   * Runs before each operation: throw (or return `false`) to refuse, 401 `unauthorized` or
   * 403 `forbidden`. An `upload` or `tus-create` may return a record to keep with the file
   * (`{ owner: userId }`), handed back as `ctx.file.auth`. Without `authorize`, every
   * `delete` and `tus-terminate` is refused with 403: anyone holding a file's URL could
   * otherwise remove it.
   */
  authorize?: (ctx: HandlerContext<F, R>) => AuthorizeVerdict | Promise<AuthorizeVerdict>;
  onUploaded?: (file: StoredFile, ctx: HandlerContext<F, R>) => void | Promise<void>;
  /**
   * Told of every error the client only sees as a 5xx (`storage-error`: a full disk, a bucket
   * that refuses), with the original error and its cause, which the answer never shows.
   * Log it here; what it throws or rejects is ignored.
   */
  onError?: (error: unknown, ctx: HandlerContext<F, R>) => void | Promise<void>;
  /** The tus routes (`/tus`, `/tus/:id`): expiration, lock wait, where partials live. */
  tus?: TusOptions;
  /** The direct-to-bucket routes (`/direct`, needing a storage with `direct`: `s3Storage`). */
  direct?: DirectOptions;
}

/** The direct-to-bucket routes' own options. */
export interface DirectOptions {
  /**
   * A pending upload not completed this long after its creation is abandoned: the sweep
   * aborts it and drops its parts. Defaults to 24 h.
   */
  expirationMs?: number;
  /**
   * How long a presigned PUT or part URL is valid, in seconds (never past the upload's
   * expiry). Defaults to 3600.
   */
  urlExpiresIn?: number;
  /** Abandoned uploads are swept on the back of a creation at most this often. Defaults to 1 h. */
  sweepIntervalMs?: number;
  /** Clock, in ms since the epoch. Defaults to `Date.now`. */
  now?: () => number;
}

/** The tus routes' own options. */
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
  /**
   * How long a request waits for another one on the same upload before a 423 (direct
   * uploads too). Defaults to 10 s.
   */
  lockTimeoutMs?: number;
  /**
   * A lock per upload shared with the other app servers of a shared storage (`redisLocker`
   * ships), taken after this process's own; the direct-to-bucket routes take it too. Without
   * one, locks hold within one process only.
   */
  locker?: Locker;
  /** Clock, in ms since the epoch. Defaults to `Date.now`. */
  now?: () => number;
}

/** Gives a lock back; safe to call more than once. */
export type Release = () => void | Promise<void>;

/** Locks on tus uploads, so that two requests on one upload never interleave. */
export interface Locker {
  /**
   * Resolves with a release once the lock on `id` is held, or `null` when it stayed held
   * elsewhere for `timeoutMs` (`0`: one try).
   */
  acquire(id: string, timeoutMs: number): Promise<Release | null>;
}

/** Where a request stands below the mount point, as an adapter hands it to `handle`. */
export interface MountContext<F = unknown> {
  /** The path below the mount point, query kept: `/upload`, `/<id>?disposition=inline`. */
  path: string;
  /** The mount point itself, such as `/api/files` (`''` for the root). */
  basePath: string;
  /** The framework's own request object, passed on to the hooks. */
  framework: F;
}

/**
 * The framework-free handler on Node's objects. `handle` serves the contract's routes for a
 * path relative to the mount point (`/upload`, `/<id>`, `/tus/...`) and resolves `false`
 * when the route is not its own, so the framework can pass the request on.
 */
export interface UploadHandler<F = unknown> {
  handle(req: IncomingMessage, res: ServerResponse, context: MountContext<F>): Promise<boolean>;
  readonly storage: import('../storage/storage').Storage;
  /**
   * Removes tus uploads past their `Upload-Expires` now; resolves with how many went. The
   * handler also sweeps by itself on the back of a creation, at most once per `sweepIntervalMs`:
   * call this from a timer or a job when uploads are rare.
   */
  sweepExpiredUploads(): Promise<number>;
}

/**
 * The one implementation of the contract, on any runtime's exchange: `serve` answers the
 * contract's routes on `exchange` and resolves `false`, having answered nothing, for any
 * other request. The Node handler and the fetch entry are this, over their own exchange.
 */
export interface ExchangeHandler<F = unknown, R extends object = NodeRequestParts> {
  serve(exchange: Exchange<R>, context: MountContext<F>): Promise<boolean>;
  readonly storage: import('../storage/storage').Storage;
  sweepExpiredUploads(): Promise<number>;
}
