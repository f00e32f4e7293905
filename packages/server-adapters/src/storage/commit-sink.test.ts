import { describe, expect, it } from 'vitest';
import { commitSink } from './commit-sink';
import type { PartialWriter } from './resumable-storage';
import type { FileMetadata } from './storage';

// The order of `end`'s two jobs, closing the bytes and preparing the publish, which run at
// once: what each test needs is a writer whose close and a prepare whose end it decides.

const meta = { name: 'a.bin', type: 'application/octet-stream', sha256: 'x' };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function scene() {
  const log: string[] = [];
  const closing = deferred<number>();
  const preparing = deferred<string>();
  const writer: PartialWriter = {
    bytesWritten: 3,
    write: () => undefined,
    close: () => {
      log.push('close');
      return closing.promise;
    },
    discard: async () => {
      log.push('discard');
    },
  };
  const publish = async (size: number, _meta: unknown, prepared?: string) => {
    log.push(`publish ${size} ${prepared ?? 'unprepared'}`);
    return { id: 'id', size } as FileMetadata;
  };
  const sink = commitSink('id', writer, publish, {
    prepare: async (size) => {
      log.push(`prepare ${size}`);
      return preparing.promise;
    },
  });
  return { log, closing, preparing, sink };
}

describe('commitSink end', () => {
  it('prepares the publish while the bytes close, and hands it to the commit', async () => {
    const { log, closing, preparing, sink } = scene();
    const ended = sink.end?.(meta);
    await Promise.resolve();
    // Both begun before either finished.
    expect(log).toEqual(['close', 'prepare 3']);
    preparing.resolve('aside');
    closing.resolve(3);
    await ended;
    await sink.commit(meta);
    expect(log).toEqual(['close', 'prepare 3', 'publish 3 aside']);
  });

  it('a close that fails first still drops the bytes only after the preparation settled', async () => {
    const { log, closing, preparing, sink } = scene();
    const ended = sink.end?.(meta);
    closing.reject(new Error('disk gone'));
    const committed = sink.commit(meta);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // A discard now would leave what the preparation is still writing.
    expect(log).not.toContain('discard');
    preparing.resolve('aside');
    await expect(ended).rejects.toThrow('disk gone');
    await expect(committed).rejects.toThrow('disk gone');
    expect(log.at(-1)).toBe('discard');
    expect(log.some((line) => line.startsWith('publish'))).toBe(false);
  });

  it('a preparation that fails is only a lost head start', async () => {
    const { log, closing, preparing, sink } = scene();
    const ended = sink.end?.(meta);
    preparing.reject(new Error('no room'));
    closing.resolve(3);
    await ended;
    await sink.commit(meta);
    expect(log.at(-1)).toBe('publish 3 unprepared');
  });
});
