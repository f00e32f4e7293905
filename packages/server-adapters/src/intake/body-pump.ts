import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { IdleTimer } from './idle-timer';

/**
 * How a body ended: read to its end, past the byte budget, cut off, or stopped by the caller
 * (`signal`).
 */
export type BodyOutcome = 'end' | 'too-large' | 'cut' | 'stopped';

/** Where the bytes go: a storage sink or a partial upload's writer. */
export interface BodySink {
  /** `undefined` when taken at once, a promise when the pump must wait (backpressure). */
  write(chunk: Uint8Array): Promise<void> | undefined;
}

export interface PumpOptions {
  /** Bytes the body may bring; more is `too-large` and nothing past the budget is written. */
  maxBytes: number;
  /** Sees every chunk before it is written (hashes, the head kept for sniffing). */
  onChunk(chunk: Uint8Array): void;
  /** Touched at every chunk, held while the sink catches up. */
  idle: Pick<IdleTimer, 'touch' | 'hold'>;
  /** `true` once the caller gave up on this body: chunks are no longer written. */
  stopped?(): boolean;
  /**
   * Aborted when the caller stops waiting for the body (its idle timeout, to answer 408):
   * the pump ends with `stopped` once the write in flight is done, the source left paused,
   * so the connection can still carry an answer.
   */
  signal?: AbortSignal;
}

/**
 * Streams a body (a request, or one file of a multipart request) into a sink with
 * backpressure: the source is paused while the sink catches up. Never throws for the
 * client's doing: a closed or failed source is `cut`, and what arrived so far is in the
 * sink. A sink failure is thrown.
 */
export function pumpBody(
  source: Readable,
  sink: BodySink,
  options: PumpOptions,
): Promise<BodyOutcome> {
  const { maxBytes, onChunk, idle, stopped, signal } = options;
  return new Promise<BodyOutcome>((resolve, reject) => {
    let received = 0;
    let settled = false;
    let writing: Promise<void> | undefined;
    const finish = (outcome: BodyOutcome | Error) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onClose);
      source.off('error', onClose);
      signal?.removeEventListener('abort', onAbort);
      // Whatever is still being written belongs to the outcome: wait for it.
      const pending = writing ?? Promise.resolve();
      pending.then(
        () => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        (error: unknown) => reject(error),
      );
    };
    const onData = (chunk: Buffer) => {
      if (stopped?.()) return;
      if (received + chunk.length > maxBytes) {
        // Left paused, not destroyed: the caller still answers 413 on this connection.
        source.pause();
        finish('too-large');
        return;
      }
      received += chunk.length;
      onChunk(chunk);
      const wait = sink.write(chunk);
      if (!wait) {
        idle.touch();
        return;
      }
      idle.hold();
      source.pause();
      writing = wait.then(
        () => {
          writing = undefined;
          if (settled || stopped?.()) return;
          idle.touch();
          source.resume();
        },
        (error: unknown) => {
          writing = undefined;
          if (settled) throw error;
          source.pause();
          finish(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    const onEnd = () => finish('end');
    const onAbort = () => {
      source.pause();
      finish('stopped');
    };
    // A request can close without its `end` having been seen; only a complete one ended.
    const onClose = () =>
      finish(
        source.readableEnded && (source as Partial<IncomingMessage>).complete !== false
          ? 'end'
          : 'cut',
      );
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onClose);
    source.on('error', onClose);
    signal?.addEventListener('abort', onAbort);
    idle.touch();
    // The connection may have died while the caller waited (for a lock, a sink): no event
    // will come.
    if (source.destroyed || source.readableAborted) finish('cut');
    else if (signal?.aborted) onAbort();
    else source.resume();
  });
}
