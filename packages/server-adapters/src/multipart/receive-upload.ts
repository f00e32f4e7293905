import type { Exchange } from '../exchange/exchange';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import type { ResolvedLimits } from '../handler/limits';
import { toStoredFile } from '../handler/stored-file';
import { announceUploaded } from '../intake/judge-file';
import type { AuthData, FileMetadata, Storage } from '../storage/storage';
import { commitMetadata } from './commit-metadata';
import { receiveMultipart } from './multipart-intake';

/**
 * `POST /upload`: receive every part, commit every file, tell `onUploaded`, answer 201.
 * All or nothing: when one file fails (a rule, a commit, `onUploaded`), none of the
 * request's files is kept.
 */
export async function receiveUpload<F, R extends object>(
  exchange: Exchange,
  ctx: HandlerContext<F, R>,
  setup: {
    storage: Storage;
    limits: ResolvedLimits;
    options: HandlerOptions<F, R>;
    basePath: string;
    /** What `authorize` returned, kept with every file. */
    auth?: AuthData | undefined;
  },
): Promise<void> {
  const { storage, limits, options, basePath, auth } = setup;
  const intake = await receiveMultipart(exchange.body, {
    storage,
    rules: options.rules ?? {},
    limits,
    sniff: options.sniff ?? false,
    ctx: ctx as HandlerContext<unknown, object>,
    auth,
  });
  if (exchange.gone) {
    // The client left after its last byte: no one would learn the ids, so keep nothing.
    await Promise.allSettled(intake.files.map((file) => file.sink.abort()));
    return;
  }
  const results = await Promise.allSettled(
    intake.files.map((file) => file.sink.commit(commitMetadata(file, intake.fields, auth))),
  );
  const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await removeAll(storage, committed);
    throw failed.reason;
  }

  const stored = committed.map((meta) => toStoredFile(meta, basePath));
  await announceUploaded(stored, ctx, options, storage);
  const body = JSON.stringify({ files: stored, fields: intake.fields });
  exchange.send(
    201,
    {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    },
    body,
  );
}

async function removeAll(storage: Storage, files: FileMetadata[]): Promise<void> {
  await Promise.allSettled(files.map((f) => storage.delete(f.id)));
}
