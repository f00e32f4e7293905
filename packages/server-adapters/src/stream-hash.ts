import { createHash, type Hash } from 'node:crypto';
import type { Worker as WorkerType } from 'node:worker_threads';

/**
 * SHA-256 of a stream of chunks. Hashing on the event loop costs about as much as parsing
 * and writing together, so past the first MiB the bytes are hashed by a worker thread, in
 * batches, while the main thread goes on parsing and writing. `update` returns a promise
 * when the worker is behind by more than a few MiB: the caller waits, as for a disk write,
 * so memory stays bounded.
 */
export interface StreamHash {
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** Hex digest of everything given to `update`. */
  digest(): Promise<string>;
  /** Drops the hash (an aborted upload). */
  dispose(): void;
}

/** Bytes gathered before a batch goes to the worker; smaller files never leave the thread. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes the worker may be behind before `update` asks the caller to wait. */
const MAX_BEHIND = 4 * BATCH_BYTES;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let hash = hashes.get(m.id);
    if (!hash) hashes.set(m.id, (hash = createHash('sha256')));
    hash.update(new Uint8Array(m.bytes));
    parentPort.postMessage({ type: 'ack', id: m.id, length: m.bytes.byteLength });
  } else if (m.type === 'digest') {
    const hash = hashes.get(m.id) || createHash('sha256');
    hashes.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, hex: hash.digest('hex') });
  } else if (m.type === 'dispose') {
    hashes.delete(m.id);
  }
});
`;

type WorkerMessage =
  | { type: 'ack'; id: number; length: number }
  | { type: 'digest'; id: number; hex: string };

interface Session {
  onAck(length: number): void;
  onDigest(hex: string): void;
  onError(error: unknown): void;
}

let worker: WorkerType | null = null;
let workerBroken = false;
let nextId = 1;
const sessions = new Map<number, Session>();

async function getWorker(): Promise<WorkerType | null> {
  if (worker || workerBroken) return worker;
  try {
    const { Worker } = await import('node:worker_threads');
    if (worker) return worker;
    const created = new Worker(WORKER_SOURCE, { eval: true });
    created.on('message', (message: WorkerMessage) => {
      const session = sessions.get(message.id);
      if (!session) return;
      if (message.type === 'ack') session.onAck(message.length);
      else session.onDigest(message.hex);
    });
    const broken = (error: unknown) => {
      if (worker === created) worker = null;
      workerBroken = true;
      for (const session of sessions.values()) session.onError(error);
      sessions.clear();
    };
    created.on('error', broken);
    created.on('exit', (code) => broken(new Error(`hash worker exited with ${code}`)));
    // After the listeners: adding a 'message' listener refs the port again.
    created.unref();
    worker = created;
  } catch {
    workerBroken = true;
  }
  return worker;
}

export function createStreamHash(): StreamHash {
  const id = nextId++;
  // Until the first batch is full nothing is hashed: a small file is then hashed right here,
  // a large one entirely by the worker, so a hash never has to move between threads.
  let batch = Buffer.allocUnsafe(BATCH_BYTES);
  let used = 0;
  let local: Hash | null = null;
  let remote: WorkerType | null = null;
  let starting: Promise<void> | null = null;
  let behind = 0;
  let failure: unknown = null;
  let waiter: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  let digestWaiter: { resolve: (hex: string) => void; reject: (e: unknown) => void } | null = null;

  const session: Session = {
    onAck(length) {
      behind -= length;
      if (waiter && behind <= MAX_BEHIND) {
        const w = waiter;
        waiter = null;
        w.resolve();
      }
    },
    onDigest(hex) {
      sessions.delete(id);
      digestWaiter?.resolve(hex);
      digestWaiter = null;
    },
    onError(error) {
      failure = error;
      waiter?.reject(error);
      digestWaiter?.reject(error);
      waiter = null;
      digestWaiter = null;
    },
  };

  /** Hands the gathered bytes on: to the worker (moving the memory), or to the local hash. */
  function flush(): void {
    if (used === 0) return;
    if (remote) {
      const bytes = batch.buffer.slice(batch.byteOffset, batch.byteOffset + used);
      behind += bytes.byteLength;
      remote.postMessage({ type: 'update', id, bytes }, [bytes]);
      batch = Buffer.allocUnsafe(BATCH_BYTES);
    } else {
      local ??= createHash('sha256');
      local.update(batch.subarray(0, used));
    }
    used = 0;
  }

  function start(): Promise<void> {
    starting ??= getWorker().then((w) => {
      if (w && !failure) {
        remote = w;
        sessions.set(id, session);
      }
    });
    return starting;
  }

  function take(chunk: Uint8Array, from: number): Promise<void> | undefined {
    let offset = from;
    while (offset < chunk.byteLength) {
      const n = Math.min(chunk.byteLength - offset, BATCH_BYTES - used);
      batch.set(chunk.subarray(offset, offset + n), used);
      used += n;
      offset += n;
      if (used < BATCH_BYTES) break;
      if (!starting) {
        const rest = offset;
        return start().then(() => {
          flush();
          return take(chunk, rest);
        });
      }
      flush();
      if (remote && behind > MAX_BEHIND) {
        const rest = offset;
        return new Promise<void>((resolve, reject) => {
          waiter = { resolve, reject };
        }).then(() => take(chunk, rest));
      }
    }
    return undefined;
  }

  return {
    update(chunk) {
      if (failure) return Promise.reject(failure);
      return take(chunk, 0);
    },
    async digest() {
      if (starting) await starting;
      if (failure) throw failure;
      if (!remote) {
        flush();
        return (local ?? createHash('sha256')).digest('hex');
      }
      const w = remote;
      flush();
      return new Promise<string>((resolve, reject) => {
        digestWaiter = { resolve, reject };
        w.postMessage({ type: 'digest', id });
      });
    },
    dispose() {
      if (remote) {
        sessions.delete(id);
        remote.postMessage({ type: 'dispose', id });
      }
      used = 0;
      local = null;
    },
  };
}
