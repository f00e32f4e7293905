import type { IncomingMessage } from 'node:http';
import type { PartialWriter } from '../storage/resumable-storage';

/** How a request body ended: read to its end, past the byte budget, or cut off. */
export type BodyOutcome = 'end' | 'too-large' | 'cut';

export interface PumpOptions {
  /** Bytes the body may bring; more is `too-large` and nothing past the budget is written. */
  maxBytes: number;
  /** Destroys the request when no byte arrives for this long. */
  idleTimeoutMs: number;
  /** Sees every chunk before it is written (hashes). */
  onChunk(chunk: Uint8Array): void;
}

/**
 * Streams a request body into a writer with backpressure (the request is paused while the
 * writer catches up). Never throws for the client's doing: a closed connection or an idle
 * one is `cut`, and what arrived so far is in the writer. A writer failure is thrown.
 */
export function pumpBody(
  req: IncomingMessage,
  writer: PartialWriter,
  options: PumpOptions,
): Promise<BodyOutcome> {
  return new Promise<BodyOutcome>((resolve, reject) => {
    let received = 0;
    let settled = false;
    let writing: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Called at every chunk: a running timer is restarted in place. A cleared one cannot be
    // (refresh does nothing after clearTimeout), so disarm forgets it and arm makes a new one.
    const arm = () => {
      if (timer) timer.refresh();
      else timer = setTimeout(() => req.destroy(), options.idleTimeoutMs);
    };
    const disarm = () => {
      clearTimeout(timer);
      timer = undefined;
    };
    const finish = (outcome: BodyOutcome | Error) => {
      if (settled) return;
      settled = true;
      disarm();
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      // Whatever is still being written belongs to the outcome: wait for it.
      const pending = writing ?? Promise.resolve();
      pending.then(
        () => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        (error: unknown) => reject(error),
      );
    };
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > options.maxBytes) {
        // Left paused, not destroyed: the caller still answers 413 on this connection.
        req.pause();
        finish('too-large');
        return;
      }
      received += chunk.length;
      options.onChunk(chunk);
      const wait = writer.write(chunk);
      if (!wait) {
        arm();
        return;
      }
      disarm();
      req.pause();
      writing = wait.then(
        () => {
          writing = undefined;
          if (settled) return;
          arm();
          req.resume();
        },
        (error: unknown) => {
          writing = undefined;
          if (settled) throw error;
          req.pause();
          finish(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    const onEnd = () => finish('end');
    const onClose = () => finish(req.complete && req.readableEnded ? 'end' : 'cut');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
    arm();
    // The connection may have died while the caller waited for its lock: no event will come.
    if (req.destroyed || req.readableAborted) finish('cut');
  });
}
