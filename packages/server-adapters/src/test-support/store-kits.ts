// The storages the HTTP contract table runs on, each with a way to see everything it holds,
// so "an abort leaves nothing" is checked the same way on disk and in a bucket. Not part of
// the package build.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { diskStorage, PARTIAL_DIR } from '../storage/disk-storage';
import { s3Storage } from '../storage/s3-storage';
import type { Storage } from '../storage/storage';
import { type S3TestServer, startS3Server } from '../storage/test-support/s3-server';
import { snapshot } from './storage-snapshot';

export type StoreKitName = 'disk' | 's3';
export const STORE_KITS: StoreKitName[] = ['disk', 's3'];

export interface StoreKit {
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /**
   * A storage of its own under `name` (a folder, or a key prefix), each one beside the
   * others in one place, so a write that escapes its store shows in `snapshot`.
   */
  storage(name: string): Promise<Storage>;
  /**
   * Everything there is, as sorted lines that start with the store's name (`files/…`): files
   * and folders with their sizes on disk; keys and multipart uploads in progress in the bucket.
   */
  snapshot(): Promise<string[]>;
  /** Waits until the snapshot is `expected` again (cleanup runs just after an answer); the last one. */
  settledTo(expected: string[], timeoutMs?: number): Promise<string[]>;
}

function settling(take: () => Promise<string[]>): StoreKit['settledTo'] {
  return async (expected, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    let current = await take();
    while (JSON.stringify(current) !== JSON.stringify(expected) && Date.now() < deadline) {
      await sleep(50);
      current = await take();
    }
    return current;
  };
}

function diskKit(label: string): StoreKit {
  let root = '';
  const take = () => snapshot(root);
  return {
    async setup() {
      root = await mkdtemp(join(tmpdir(), `updown-${label}-`));
    },
    teardown: () => rm(root, { recursive: true, force: true }),
    async storage(name) {
      const directory = join(root, name);
      // Created up front, so that the first request's mkdir does not count as a leftover.
      await mkdir(join(directory, PARTIAL_DIR), { recursive: true });
      return diskStorage({ directory });
    },
    snapshot: take,
    settledTo: settling(take),
  };
}

function s3Kit(): StoreKit {
  let s3: S3TestServer | undefined;
  const server = () => {
    if (!s3) throw new Error('setup() first');
    return s3;
  };
  const take = async () =>
    [...(await server().keys()), ...(await server().uploadsInProgress())].sort();
  return {
    async setup() {
      s3 = await startS3Server();
    },
    teardown: async () => s3?.close(),
    async storage(name) {
      return s3Storage({ client: server().client, bucket: server().bucket, prefix: `${name}/` });
    },
    snapshot: take,
    settledTo: settling(take),
  };
}

export function storeKit(name: StoreKitName, label: string): StoreKit {
  return name === 's3' ? s3Kit() : diskKit(label);
}
